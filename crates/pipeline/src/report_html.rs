//! `NAME.report.html`: the run report as a page a person would rather look at than read
//! JSON. Self-contained (inline CSS, no script, no network), so it opens anywhere.

use std::fmt::Write as _;
use std::path::Path;

use crate::report::Report;

/// Writes the report page.
pub(crate) fn write(report: &Report, path: &Path) -> std::io::Result<()> {
    crate::safe_files::write_replacing(path, render(report).as_bytes())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A table of counts with a bar each, largest first.
fn bars(title: &str, counts: impl IntoIterator<Item = (String, u64)>) -> String {
    let mut rows: Vec<(String, u64)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let max = rows.first().map_or(1, |r| r.1.max(1));
    let mut html = format!("<section><h2>{}</h2>", escape(title));
    if rows.is_empty() {
        html.push_str("<p class=none>none</p>");
    } else {
        html.push_str("<table>");
        for (name, count) in rows {
            let width = count * 100 / max;
            let _ = write!(
                html,
                "<tr><th>{}</th><td class=n>{count}</td><td class=bar><span style=\"width:{width}%\"></span></td></tr>",
                escape(&name)
            );
        }
        html.push_str("</table>");
    }
    html.push_str("</section>");
    html
}

#[allow(
    clippy::too_many_lines,
    reason = "the page's markup in the order it prints"
)]
fn render(report: &Report) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>threadmill run report</title><style>\
         body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}\
         h1{font-size:1.5rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}\
         .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem}\
         .card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem}.card b{display:block;font-size:1.4rem}\
         .card.bad b{color:#b42318}table{border-collapse:collapse;width:100%}th{text-align:left;font-weight:500;padding:.2rem .6rem .2rem 0;width:30%}\
         td.n{text-align:right;padding-right:.6rem;width:5rem;font-variant-numeric:tabular-nums}td.bar span{display:block;height:.8rem;background:#3b82f6;border-radius:2px}\
         .none{color:#57606a}ul.ex{margin:.2rem 0 .6rem;color:#57606a;font-size:.9em}.warn{background:#fff4e5;border:1px solid #f0b45b;padding:.5rem .8rem;border-radius:6px}\
         </style></head><body><h1>threadmill run report</h1>",
    );
    if report.interrupted {
        html.push_str("<p class=warn>This run was interrupted: its checkpoint is kept, and running the same command again resumes it.</p>");
    }
    let card = |html: &mut String, label: &str, value: String, bad: bool| {
        let _ = write!(
            html,
            "<div class=\"card{}\"><b>{}</b>{}</div>",
            if bad { " bad" } else { "" },
            escape(&value),
            escape(label)
        );
    };
    html.push_str("<div class=cards>");
    card(&mut html, "inputs", report.inputs.to_string(), false);
    card(&mut html, "records", report.records.to_string(), false);
    card(&mut html, "posts", report.posts.to_string(), false);
    card(
        &mut html,
        "rejects",
        report.rejects.to_string(),
        report.rejects > 0,
    );
    card(&mut html, "skipped", report.skipped.to_string(), false);
    if report.stitched_pages > 0 {
        card(
            &mut html,
            "pages stitched",
            report.stitched_pages.to_string(),
            false,
        );
    }
    card(
        &mut html,
        "MB/s",
        format!("{:.2}", report.mb_per_second),
        false,
    );
    card(
        &mut html,
        "threads/s",
        format!("{:.1}", report.threads_per_second),
        false,
    );
    card(
        &mut html,
        "seconds",
        format!("{:.2}", report.wall_seconds),
        false,
    );
    card(
        &mut html,
        "MB of pages",
        format!("{:.2}", report.page_bytes as f64 / 1e6),
        false,
    );
    card(&mut html, "worker threads", report.jobs.to_string(), false);
    html.push_str("</div>");
    if report.new + report.changed + report.unchanged + report.vanished > 0 {
        html.push_str(&bars(
            "Since the last run",
            [
                ("new".to_owned(), report.new),
                ("changed".to_owned(), report.changed),
                ("unchanged".to_owned(), report.unchanged),
                ("vanished".to_owned(), report.vanished),
            ],
        ));
    }
    html.push_str(&bars("Records by engine", report.engines.clone()));
    html.push_str(&bars("Records by extractor", report.extractors.clone()));
    html.push_str(&bars("Records by language", report.langs.clone()));
    html.push_str(&bars("Posts per thread", report.posts_per_thread.clone()));
    html.push_str(&bars("Rejects by stage", report.rejects_by_stage.clone()));
    html.push_str("<section><h2>Rejects by reason</h2>");
    if report.reject_reasons.is_empty() {
        html.push_str("<p class=none>none</p>");
    }
    for (reason, detail) in &report.reject_reasons {
        let _ = write!(
            html,
            "<p><b>{}</b> × {}</p><ul class=ex>",
            escape(reason),
            detail.count
        );
        for example in &detail.examples {
            let _ = write!(html, "<li>{}</li>", escape(example));
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>");
    html.push_str(&bars("Skipped by reason", report.skipped_by_reason.clone()));
    let t = &report.stage_seconds;
    html.push_str(&bars(
        "Time per stage (ms, all workers)",
        [
            ("decode", t.decode),
            ("clean", t.clean),
            ("segment", t.segment),
            ("extract", t.extract),
            ("export", t.export),
        ]
        .map(|(name, secs)| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "milliseconds of a run fit in u64"
            )]
            let ms = (secs * 1000.0).round() as u64;
            (name.to_owned(), ms)
        }),
    ));
    let _ = writeln!(
        html,
        "<p class=none>threadmill {} · schema {} · output {}</p></body></html>",
        escape(&report.versions.threadmill),
        escape(&report.versions.schema),
        escape(&report.output)
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_and_lists() {
        let mut report = Report {
            inputs: 2,
            ..Report::default()
        };
        let record = crate::report::RecordSummary {
            posts: 3,
            engine: "phpbb".into(),
            extractor: "html:phpbb3".into(),
            lang: Some("en".into()),
            ..Default::default()
        };
        report.note_record(&record, 100);
        report.note_reject(&threadmill_model::Reject {
            source: threadmill_model::SourceRef {
                path: "<b>.txt".into(),
                member: None,
            },
            stage: threadmill_model::Stage::Decode,
            error: "empty input".into(),
        });
        let html = render(&report);
        assert!(html.contains("&lt;b&gt;.txt"));
        assert!(html.contains("phpbb"));
        assert!(!html.contains("<script"));
    }
}
