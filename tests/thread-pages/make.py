#!/usr/bin/env python3
"""Writes the multi-page thread fixtures (invented content). Run from this folder."""
import json

POSTS = [
    ("ann", "Which tent for a windy coast?", "I camp on the coast in spring and my old dome tent folds in every gust. What do you use when the wind picks up?"),
    ("bob", "Re: tent", "A tunnel tent pitched tail to the wind has never let me down. Peg every loop and add two guy lines."),
    ("cy", "Re: tent", "Geodesic designs are heavier, but they shrug off storms. Mine survived a night of gale warnings."),
    ("dee", "Re: tent", "Whatever you buy, practise pitching it at home first. Doing it for the first time in the wind is no fun."),
    ("eli", "Re: tent", "Sand pegs are worth the money on the coast. Ordinary ones pull out of dry sand in minutes."),
    ("fay", "Re: tent", "Thanks all, I ordered a tunnel tent and a set of sand pegs. I will report back after Easter."),
]
DATES = ["Mon Mar 04, 2024 9:15 am", "Mon Mar 04, 2024 10:02 am", "Tue Mar 05, 2024 8:40 am",
         "Tue Mar 05, 2024 6:12 pm", "Wed Mar 06, 2024 7:30 am", "Thu Mar 07, 2024 9:05 pm"]
ISO = ["2024-03-04T09:15", "2024-03-04T10:02", "2024-03-05T08:40", "2024-03-05T18:12", "2024-03-06T07:30", "2024-03-07T21:05"]
TITLE = "Which tent for a windy coast?"
# Two posts a page, three pages.
PAGES = [[0, 1], [2, 3], [4, 5]]


def write(name, text):
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)


def phpbb_html(n):
    url = "https://camp.example/viewtopic.php?f=3&t=123" + (f"&start={(n - 1) * 2}" if n > 1 else "")
    posts = "".join(
        f'<div id="p{100 + i}" class="post has-profile bg2"><div class="inner"><div class="postbody">'
        f'<h3><a href="#p{100 + i}">{POSTS[i][1]}</a></h3>'
        f'<p class="author">by <strong><a href="./memberlist.php?mode=viewprofile&amp;u={i}" class="username">{POSTS[i][0]}</a></strong> &raquo; <time datetime="{ISO[i]}:00+00:00">{DATES[i]}</time></p>'
        f'<div class="content">{POSTS[i][2]}</div></div>'
        f'<dl class="postprofile"><dt><a href="./memberlist.php?mode=viewprofile&amp;u={i}" class="username">{POSTS[i][0]}</a></dt><dd class="profile-posts"><strong>Posts:</strong> {10 + i}</dd></dl>'
        f'</div></div>'
        for i in PAGES[n - 1])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} - Camp Forum</title>'
            f'<link rel="canonical" href="{url}"><meta name="generator" content="phpBB"></head><body>'
            f'<div class="navbar"><ul id="nav-breadcrumbs" class="breadcrumbs"><li><a href="./index.php">Board index</a> <a href="./viewforum.php?f=3">Tents</a></li></ul></div>'
            f'<h2 class="topic-title"><a href="{url}">{TITLE}</a></h2>'
            f'<div class="action-bar"><div class="pagination">6 posts &bull; Page <strong>{n}</strong> of <strong>3</strong></div></div>'
            f'{posts}<p class="footer">Powered by phpBB</p></body></html>\n')


def phpbb_text(n):
    out = [TITLE, "", "Post Reply", f"6 posts • Page {n} of 3", ""]
    for i in PAGES[n - 1]:
        author, subject, text = POSTS[i]
        out += [subject, "", f"Post by {author} » {DATES[i]}", "", text, "", author, f"Posts: {10 + i}", "", "Top", ""]
    out += ["Return to “Tents”", "", "Powered by phpBB® Forum Software © phpBB Limited", ""]
    return "\n".join(out)


def vb_html(n):
    """vBulletin 4, which shows the thread's first post on top of every page."""
    url = "https://camp.example/showthread.php?t=77" + (f"&page={n}" if n > 1 else "")
    shown = ([0] if n > 1 else []) + PAGES[n - 1]
    posts = "".join(
        f'<li class="postbitlegacy postbitim postcontainer" id="post_{500 + i}">'
        f'<div class="posthead"><span class="postdate"><span class="date">{ISO[i][:10]}, <span class="time">{ISO[i][11:]}</span></span></span>'
        f'<span class="nodecontrols"><a href="showthread.php?t=77&amp;p={500 + i}#post{500 + i}" class="postcounter">#{i + 1}</a></span></div>'
        f'<div class="userinfo"><a class="username" href="member.php?u={i}"><strong>{POSTS[i][0]}</strong></a><span class="usertitle">Member</span></div>'
        f'<div class="postbody"><div class="postrow"><h2 class="title">{POSTS[i][1]}</h2><div class="content"><div id="post_message_{500 + i}">'
        f'<blockquote class="postcontent restore">{POSTS[i][2]}</blockquote></div></div></div></div></li>'
        for i in shown)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="generator" content="vBulletin 4.2.5">'
            f'<title>{TITLE} - Page {n}</title><link rel="canonical" href="{url}"></head><body>'
            f'<div id="breadcrumb" class="breadcrumb"><ul><li class="navbit"><a href="forum.php">Forum</a></li><li class="navbit"><a href="forumdisplay.php?f=3">Tents</a></li></ul></div>'
            f'<h1>{TITLE}</h1><div class="pagination_top"><span><a href="javascript://" class="popupctrl">Page {n} of 3</a></span></div>'
            f'<ol id="posts" class="posts">{posts}</ol></body></html>\n')


def vb_text(n):
    """vBulletin 3 as a text copy: the first post on top of every page here too."""
    out = [TITLE, "", f"Page {n} of 3", ""]
    for i in ([0] if n > 1 else []) + PAGES[n - 1]:
        author, _, text = POSTS[i]
        out += [f"{ISO[i][:10]}, {ISO[i][11:]}", f"#{i + 1}", author, "Member", "",
                "Join Date: Jan 2020", f"Posts: {10 + i}", "", text, "", "Reply With Quote", ""]
    out += ["Powered by vBulletin® Version 3.8.11", ""]
    return "\n".join(out)


def xf_html(n):
    url = "https://camp.example/threads/which-tent-for-a-windy-coast.4511/" + (f"page-{n}" if n > 1 else "")
    posts = "".join(
        f'<article class="message message--post" data-author="{POSTS[i][0]}" data-content="post-{900 + i}" id="js-post-{900 + i}">'
        f'<div class="message-inner"><div class="message-cell message-cell--user"><section class="message-user">'
        f'<h4 class="message-name"><a href="/members/{POSTS[i][0]}.{i}/" class="username">{POSTS[i][0]}</a></h4>'
        f'<h5 class="userTitle message-userTitle">Member</h5></section></div>'
        f'<div class="message-cell message-cell--main"><div class="message-main"><header class="message-attribution">'
        f'<ul class="message-attribution-main"><li><a href="/threads/which-tent-for-a-windy-coast.4511/post-{900 + i}"><time class="u-dt" datetime="{ISO[i]}:00+0000">{DATES[i][4:16]}</time></a></li></ul>'
        f'<ul class="message-attribution-opposite"><li><a href="/threads/which-tent-for-a-windy-coast.4511/post-{900 + i}">#{i + 1}</a></li></ul></header>'
        f'<div class="message-content"><article class="message-body"><div class="bbWrapper">{POSTS[i][2]}</div></article></div></div></div></div></article>'
        for i in PAGES[n - 1])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} | Page {n} | Camp Forum</title>'
            f'<link rel="canonical" href="{url}"><meta property="og:url" content="{url}"></head><body><div class="p-body-inner">'
            f'<h1 class="p-title-value">{TITLE}</h1><nav class="pageNav"><ul class="pageNav-main"><li><a href="#">1</a></li><li><a href="#">2</a></li><li><a href="#">3</a></li></ul></nav>'
            f'<div class="block-body js-replyNewMessageContainer">{posts}</div></div></body></html>\n')


def xf_text(n):
    out = [TITLE, ""]
    if n == 1:
        out += [f"  • Thread starter {POSTS[0][0]}", "  • Start date Mar 4, 2024", ""]
    out += [f"Page {n} of 3", ""]
    for i in PAGES[n - 1]:
        author, _, text = POSTS[i]
        out += [author, "", "Member", DATES[i][4:16], "", f"  • #{i + 1}", "", text, "", "  • Like", "  • Reply", ""]
    return "\n".join(out)


def discourse_html(n):
    url = "https://talk.example/t/which-tent-for-a-windy-coast/991" + (f"?page={n}" if n > 1 else "")
    posts = "".join(
        f'<div itemprop="comment" id="post_{i + 1}" class="topic-body crawler-post">'
        f'<div class="crawler-post-meta"><span class="creator" itemprop="author"><a itemprop="url" href="/u/{POSTS[i][0]}"><span itemprop="name">{POSTS[i][0]}</span></a></span>'
        f'<span class="crawler-post-infos"><time itemprop="datePublished" datetime="{ISO[i]}:00Z" class="post-time">{DATES[i][4:16]}</time></span></div>'
        f'<div class="post" itemprop="text"><p>{POSTS[i][2]}</p></div></div>'
        for i in PAGES[n - 1])
    nav = ('<div role="navigation" itemscope class="topic-body crawler-post">'
           + (f'<span itemprop="itemListElement"><a href="/t/which-tent-for-a-windy-coast/991?page={n - 1}" rel="prev">← previous page</a></span>' if n > 1 else '')
           + (f'<span itemprop="itemListElement"><a href="/t/which-tent-for-a-windy-coast/991?page={n + 1}" rel="next">next page →</a></span>' if n < 3 else '')
           + '</div>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} - Camping - Talk</title>'
            f'<meta name="generator" content="Discourse 3.2.0"><link rel="canonical" href="{url}"></head><body>'
            f'<div id="main-outlet" class="wrap"><h1><a href="/t/which-tent-for-a-windy-coast/991">{TITLE}</a></h1>'
            f'<div id="breadcrumbs"><div class="breadcrumb"><a href="/c/camping/5">Camping</a></div></div>'
            f'<div class="post-stream">{posts}</div>{nav}</div>'
            f'<footer><p class="powered-by-link">Powered by <a href="https://www.discourse.org">Discourse</a>, best viewed with JavaScript enabled</p></footer></body></html>\n')


def discourse_text(n):
    out = [TITLE, "", "Camping", ""]
    for i in PAGES[n - 1]:
        author, _, text = POSTS[i]
        out += [f"{author} {DATES[i][4:10]}", "", text, ""]
    out += ["next page →" if n < 3 else "← previous page", "", "Powered by Discourse, best viewed with JavaScript enabled", ""]
    return "\n".join(out)


for n in (1, 2, 3):
    write(f"phpbb-{n}.html", phpbb_html(n))
    write(f"vbulletin-{n}.html", vb_html(n))
    write(f"vbulletin-{n}.txt", vb_text(n))
    write(f"xenforo-{n}.html", xf_html(n))
    write(f"discourse-{n}.html", discourse_html(n))
    write(f"xenforo-{n}.txt", xf_text(n))
    write(f"phpbb-{n}.txt", phpbb_text(n))
# Discourse text copies come from a scraper's JSONL, with their URLs.
with open("discourse-text.jsonl", "w", encoding="utf-8") as f:
    for n in (3, 1, 2):
        url = "https://talk.example/t/which-tent-for-a-windy-coast/991" + (f"?page={n}" if n > 1 else "")
        f.write(json.dumps({"url": url, "text": discourse_text(n)}, ensure_ascii=False) + "\n")
