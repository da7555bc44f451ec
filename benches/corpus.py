#!/usr/bin/env python3
"""Generate a deterministic corpus of Markdown articles for the benchmarks.

    benches/corpus.py N OUTDIR [--seed S] [--start K] [--newest] [--toml-dates]

Writes N files OUTDIR/<slug>.md of about 800 words each, with TOML front
matter between `+++` lines, in the format `affiche article import` reads:

    title, date, tags, lang, author, author_name, summary, slug, draft

Article number i (K <= i < K+N) depends only on (seed, i), never on N: the
first 10 articles of a 10,000 corpus are the 10 articles of a 10 corpus, and
`--start 100000` gives articles that no other run of the default range has
(fresh slugs for the publish benchmark).

Dates are spread over 2019-01 .. 2024-12 (every month has articles once N is
a few hundred); about 1 in 10 is a bare YYYY-MM-DD, the rest RFC 3339 strings.
`--newest` dates the articles after that range (2025-06-01 onwards), as a
newly published article would be. `--toml-dates` writes dates as TOML
date-time literals instead of quoted strings (both are valid TOML; Hugo
accepts both).

Hugo builds these files as they are (see benches/hugo-site/README.md).
Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys

TAGS = [
    "rust", "python", "cooking", "travel", "music", "cinema", "books",
    "gardening", "cycling", "photography", "linux", "privacy", "fediverse",
    "politics", "climate", "science", "history", "education", "health",
    "design", "typography", "hiking", "jazz", "theatre", "urbanism",
    "open-data", "self-hosting", "languages", "astronomy", "chess",
]

FIRST = [
    "alice", "bruno", "chloe", "david", "emma", "farid", "gaelle", "hugo",
    "ines", "jules", "karim", "lea", "marc", "nadia", "oscar", "paula",
    "quentin", "rosa", "samir", "tina", "ugo", "vera", "wassim", "xenia",
    "yann", "zoe", "amir", "berit", "camille", "dario", "elif", "fatou",
    "gustav", "hana", "ivo", "jade", "kenji", "lina", "mateo", "noor",
    "olga", "pablo", "rania", "sven", "thea", "umar", "vivi", "wen",
    "yusuf", "zelda",
]
LAST = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
    "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel",
    "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet", "Francois",
    "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clement", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson",
]
HOSTS = ["example.org", "example.net", "example.com", "social.example",
         "mastodon.example"]
# 50 distinct authors: (handle, display name)
AUTHORS = [
    (f"@{FIRST[i]}@{HOSTS[i % len(HOSTS)]}",
     f"{FIRST[i].capitalize()} {LAST[(i * 7) % len(LAST)]}")
    for i in range(50)
]

WORDS = """
the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their
has would when if so no will more about can other these some them into only
its time could new two may first then do any like my now over such our man me
even most made after also did many before must through back years where much
your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life
being under never day same another know while last might us great old year off
come since against go came right used take three small garden river city market
window morning evening letter music bridge harbour mountain station kitchen
forest island village library garden recipe bicycle journey storm lantern
season voice story table paper engine signal pattern server archive network
careful quiet bright gentle simple useful patient honest curious steady ancient
modern broken hidden open narrow wide slow quick warm cold early late distant
write read build carry follow gather listen measure notice publish repair share
""".split()

LINK_TARGETS = [
    "https://example.org/notes/{w}",
    "https://docs.example.net/{w}/index.html",
    "https://example.com/{w}?ref=affiche",
    "https://en.wikipedia.example/wiki/{W}",
]

CODE_SNIPPETS = [
    ("rust", ['fn main() {', '    let words = vec!["static", "reads"];',
              '    for w in &words {', '        println!("{w}");', '    }', '}']),
    ("python", ["def publish(article):", "    html = render(article)",
                "    write_atomically(article.path, html)", "    return html"]),
    ("sh", ["chmod 755 affiche.cgi", "./affiche.cgi init ~/affiche",
            "ls -l public_html/"]),
    ("toml", ['[site]', 'title = "A small site"', 'base_url = "https://example.org"']),
]

START_DATE = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)
END_DATE = dt.datetime(2024, 12, 31, 23, 59, tzinfo=dt.timezone.utc)
NEWEST_DATE = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.timezone.utc)


class Writer:
    """Builds one article's Markdown body from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = 0

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def sentence(self, decorate: bool = True) -> str:
        rng = self.rng
        n = rng.randint(8, 20)
        parts = [self.word() for _ in range(n)]
        self.words += n
        if decorate:
            roll = rng.random()
            k = rng.randrange(1, n)
            if roll < 0.12:
                parts[k] = f"*{parts[k]}*"
            elif roll < 0.20:
                parts[k] = f"**{parts[k]}**"
            elif roll < 0.27:
                parts[k] = f"`{parts[k]}_{rng.randint(1, 99)}()`"
            elif roll < 0.38:
                w = parts[k]
                url = rng.choice(LINK_TARGETS).format(w=w, W=w.capitalize())
                parts[k] = f"[{w}]({url})"
        s = " ".join(parts)
        return s[0].upper() + s[1:] + rng.choice([".", ".", ".", ".", "?", "!"])

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def heading(self, level: int) -> str:
        n = self.rng.randint(2, 6)
        self.words += n
        text = " ".join(self.word() for _ in range(n)).capitalize()
        return "#" * level + " " + text

    def bullet_list(self, numbered: bool) -> str:
        items = []
        for j in range(self.rng.randint(3, 6)):
            n = self.rng.randint(3, 12)
            self.words += n
            text = " ".join(self.word() for _ in range(n)).capitalize()
            items.append((f"{j + 1}. " if numbered else "- ") + text)
        return "\n".join(items)

    def table(self) -> str:
        cols = ["Item", "Count", "Note"]
        rows = ["| " + " | ".join(cols) + " |", "| --- | ---: | --- |"]
        for _ in range(self.rng.randint(3, 6)):
            rows.append(f"| {self.word()} | {self.rng.randint(1, 999)} | "
                        f"{self.word()} {self.word()} |")
            self.words += 4
        return "\n".join(rows)

    def code_block(self) -> str:
        lang, lines = self.rng.choice(CODE_SNIPPETS)
        return "```" + lang + "\n" + "\n".join(lines) + "\n```"

    def quote(self) -> str:
        return "> " + self.sentence()

    def body(self, target_words: int, with_table: bool, with_code: bool) -> str:
        rng = self.rng
        blocks = [self.paragraph()]
        extras = []
        if with_table:
            extras.append(self.table)
        if with_code:
            extras.append(self.code_block)
        extras += [lambda: self.bullet_list(False), lambda: self.bullet_list(True)]
        if rng.random() < 0.3:
            extras.append(self.quote)
        rng.shuffle(extras)
        while self.words < target_words:
            blocks.append(self.heading(2 if rng.random() < 0.8 else 3))
            for _ in range(rng.randint(1, 3)):
                blocks.append(self.paragraph())
                if self.words >= target_words:
                    break
            if extras and rng.random() < 0.7:
                blocks.append(extras.pop()())
        while extras:  # every article gets its lists (and table/code if drawn)
            blocks.append(extras.pop()())
        return "\n\n".join(blocks) + "\n"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article(seed: int, i: int, newest: bool, toml_dates: bool) -> tuple[str, str]:
    rng = random.Random(f"affiche-corpus:{seed}:{i}")
    w = Writer(rng)
    title_words = [rng.choice(WORDS) for _ in range(rng.randint(3, 7))]
    title = " ".join(title_words).capitalize() + f" ({i})"
    slug = f"{slugify(' '.join(title_words))}-{i}"
    if newest:
        date = NEWEST_DATE + dt.timedelta(hours=i % 100_000)
    else:
        span = int((END_DATE - START_DATE).total_seconds())
        date = START_DATE + dt.timedelta(seconds=rng.randrange(span))
        date = date.replace(second=0, microsecond=0)
    if not newest and rng.random() < 0.1:
        date_text = date.strftime("%Y-%m-%d")
    else:
        date_text = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    tags = rng.sample(TAGS, rng.randint(1, 3))
    handle, name = AUTHORS[rng.randrange(len(AUTHORS))]
    summary = w.sentence(decorate=False)
    w.words = 0  # the summary is front matter, not body
    body = w.body(target_words=rng.randint(760, 840),
                  with_table=rng.random() < 0.25,
                  with_code=rng.random() < 0.3)
    fm = [
        "+++",
        f"title = {toml_str(title)}",
        f"date = {date_text if toml_dates else toml_str(date_text)}",
        "tags = [" + ", ".join(toml_str(t) for t in tags) + "]",
        'lang = "en"',
        f"author = {toml_str(handle)}",
        f"author_name = {toml_str(name)}",
        f"summary = {toml_str(summary)}",
        f"slug = {toml_str(slug)}",
        "draft = false",
        "+++",
        "",
    ]
    return slug, "\n".join(fm) + body


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, help="number of articles")
    p.add_argument("outdir", help="output directory (created if missing)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--start", type=int, default=0,
                   help="number of the first article (default 0)")
    p.add_argument("--newest", action="store_true",
                   help="date the articles after the whole default corpus")
    p.add_argument("--toml-dates", action="store_true",
                   help="write dates as TOML date-time literals, not strings")
    args = p.parse_args(argv)
    if args.n < 0:
        p.error("N must be >= 0")
    os.makedirs(args.outdir, exist_ok=True)
    for i in range(args.start, args.start + args.n):
        slug, text = article(args.seed, i, args.newest, args.toml_dates)
        with open(os.path.join(args.outdir, slug + ".md"), "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
