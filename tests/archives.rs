//! Archives and scraper dumps as inputs: tar, zip, WARC, JSONL, compressed pages.

use std::io::Write;

use crate::support::{
    assert_accounted, read_jsonl, read_records, root, run_records, source_name, tar_zst, threadmill,
};

fn sample() -> Vec<u8> {
    std::fs::read(root().join("data/phpbb-nl-kim-putin.txt")).expect("sample")
}

fn html_page(title: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>\
         <article><p>{title} is what this page is about, and here is a sentence or two about it.</p></article></body></html>"
    )
}

fn warc_record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-05-01T12:00:00Z\r\n\
         WARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one table of containers, each case a few lines"
)]
fn every_container_streams_its_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");

    tar_zst(
        &inputs.join("a.tar.zst"),
        &[
            ("pages/one.txt".to_owned(), sample()),
            ("pages/two.html".to_owned(), html_page("Two").into_bytes()),
            ("pages/logo.png".to_owned(), vec![0x89, b'P', b'N', b'G']),
        ],
    );

    let mut zip = zip::ZipWriter::new(std::fs::File::create(inputs.join("b.zip")).expect("create"));
    zip.start_file("x/three.htm", zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    zip.write_all(html_page("Three").as_bytes()).expect("write");
    zip.finish().expect("zip");

    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{}",
        html_page("Four")
    );
    let mut warc = warc_record(
        "warcinfo",
        "0",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    );
    warc.extend(warc_record(
        "request",
        "1",
        "https://forum.example/t/4",
        "application/http; msgtype=request",
        b"GET /t/4 HTTP/1.1\r\n\r\n",
    ));
    warc.extend(warc_record(
        "response",
        "2",
        "https://forum.example/t/4",
        "application/http; msgtype=response",
        http.as_bytes(),
    ));
    let img = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG";
    warc.extend(warc_record(
        "response",
        "3",
        "https://forum.example/logo.png",
        "application/http; msgtype=response",
        img.as_bytes(),
    ));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&warc).expect("gzip");
    std::fs::write(inputs.join("c.warc.gz"), gz.finish().expect("gz")).expect("write");

    let lines = [
        serde_json::json!({"url": "https://forum.example/t/5", "html": html_page("Five")}).to_string(),
        "not json".to_owned(),
        serde_json::json!({"url": "https://forum.example/t/6", "text": String::from_utf8(sample()).expect("utf-8")}).to_string(),
    ];
    std::fs::write(inputs.join("d.jsonl"), lines.join("\n") + "\n").expect("write");

    let out = dir.path().join("out.jsonl");
    let output = threadmill(&[
        "run",
        "--input",
        inputs.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "one JSONL line is broken: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let records = crate::support::read_records(&out);
    let members: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            let name = crate::support::source_name(r);
            (
                name,
                r["source"]["member"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("a.tar.zst", "pages/one.txt"),
        ("a.tar.zst", "pages/two.html"),
        ("b.zip", "x/three.htm"),
        ("c.warc.gz", "<urn:uuid:2>"),
        ("d.jsonl", "line 1"),
        ("d.jsonl", "line 3"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(members, expected);
    assert_eq!(records[0]["posts"][0]["author"], "noumoe");
    assert_eq!(records[3]["url"], "https://forum.example/t/4");
    assert_eq!(records[3]["title"], "Four");
    assert_eq!(records[4]["url"], "https://forum.example/t/5");

    let rejects = read_jsonl(&dir.path().join("out.rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["source"]["member"], "line 2");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.report.json")).expect("report"))
            .expect("json");
    // logo.png in the tar; warcinfo, request and the PNG response in the WARC.
    assert_eq!(report["skipped"], 4, "{report:#}");
    assert_accounted(&report);
    assert!(dir.path().join("out.report.html").exists());
}

#[test]
fn compressed_single_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("page.txt.zst");
    std::fs::write(&page, zstd::encode_all(&sample()[..], 3).expect("zstd")).expect("write");
    let records = run_records(
        &["--input", page.to_str().expect("utf-8")],
        &dir.path().join("o.jsonl"),
    );
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["posts"][0]["author"], "noumoe");
}

#[test]
fn decompression_bombs_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b'a'; 32 << 20]).expect("gzip");
    std::fs::write(&bomb, gz.finish().expect("gz")).expect("write");
    let out = dir.path().join("o.jsonl");
    let output = threadmill(&[
        "run",
        "--input",
        bomb.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let rejects = read_jsonl(&dir.path().join("o.rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    let error = rejects[0]["error"].as_str().expect("error");
    assert!(
        error.contains("max_ratio") || error.contains("max_bytes"),
        "{error}"
    );
}

#[test]
fn pages_over_the_memory_budget_are_rejected_and_the_rest_come_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("mkdir");
    std::fs::write(pages.join("small.txt"), sample()).expect("write");
    // Counted at 16 times its 200 KB, this page alone needs more than the 2 MB budget.
    let big: Vec<u8> = sample().iter().copied().cycle().take(200_000).collect();
    std::fs::write(pages.join("big.txt"), big).expect("write");
    let pipeline = dir.path().join("budget.toml");
    std::fs::write(
        &pipeline,
        "name = \"budget\"\n[input]\nmax_memory = 2000000\n",
    )
    .expect("write");
    let out = dir.path().join("o.jsonl");
    let output = threadmill(&[
        "run",
        "--pipeline",
        pipeline.to_str().expect("utf-8"),
        "--input",
        pages.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let records = read_records(&out);
    assert_eq!(records.len(), 1);
    assert!(source_name(&records[0]).ends_with("small.txt"));
    let rejects = read_jsonl(&dir.path().join("o.rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    let error = rejects[0]["error"].as_str().expect("error");
    assert!(error.contains("input.max_memory"), "{error}");
    assert_eq!(rejects[0]["stage"], "read");
}
