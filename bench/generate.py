"""Seeded, deterministic guides for the benchmark, in two profiles, and the same cards for peers.

- `seed` (the default): the markup density of the seed guide as the issue measured it, on every
  card: a bold question of about 15 words (one in seven with `code` in it) and a hint of about 32
  words with an italic `*Answer Hint:*` label, two bold terms and one code span; about 290 bytes of
  Markdown a card.
- `light`: the shape the benchmark used first: a fifth of the hints with inline code, few with
  emphasis (`markup` scales both).

Both: sections of 20 notes, about one note in eight a `**Term:** definition` concept, one in twenty
an open question, 3% with a fenced code block in the hint.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SEED = 20260501
SECTION_SIZE = 20
PROFILES = ("seed", "light")

_SUBJECTS = (
    "a data pipeline",
    "the ingestion layer",
    "a streaming job",
    "the warehouse schema",
    "an ETL process",
    "the API gateway",
    "a batch workload",
    "the feature store",
    "a Kubernetes deployment",
    "the message queue",
    "a partitioned table",
    "the query planner",
    "an Airflow DAG",
    "the object store",
    "a slowly changing dimension",
    "the CI pipeline",
    "a REST endpoint",
    "the retry policy",
    "an event log",
    "the metadata catalog",
    "a vector index",
    "the prompt template",
    "a unit test suite",
    "the schema registry",
)
_VERBS = (
    "design",
    "monitor",
    "scale",
    "debug",
    "validate",
    "document",
    "secure",
    "test",
    "partition",
    "migrate",
    "optimise",
    "deploy",
    "version",
    "backfill",
    "profile",
    "cache",
)
_CONTEXTS = (
    "when the input volume doubles every month",
    "without losing any late events",
    "under a strict latency budget",
    "across several cloud accounts",
    "while the upstream schema keeps changing",
    "for a team of analysts with mixed skills",
    "when a vendor API rate-limits every request",
    "with exactly-once delivery guarantees",
    "in a regulated industry with audit requirements",
    "during a zero-downtime migration",
    "when most of the cost comes from idle clusters",
    "for both batch and streaming consumers",
)
_ADVICE = (
    "Start from the access patterns and the service level you have to meet",
    "Mention idempotent writes and how a rerun of the same input behaves",
    "Explain how you would measure it before changing anything",
    "Talk about partitioning by date and pruning old partitions",
    "Describe the monitoring, the alerts and who gets paged at night",
    "Compare two designs and say which trade-off you would accept",
    "Give a concrete example from a project and the numbers involved",
    "Cover schema evolution, backward compatibility and versioned contracts",
    "Discuss the failure modes first and how each one is detected",
    "Keep the happy path simple and push the rare cases to a dead-letter queue",
    "Name the tools you used and why you picked them over the alternatives",
    "Point out what you would automate and what needs a human decision",
)
_TAILS = (
    "Relate it to the role's focus on reliable, scalable data products.",
    "Be ready to sketch the flow on a whiteboard.",
    "Interviewers look for clear reasoning more than for one right answer.",
    "Finish with what you learnt and what you would do differently.",
    "Keep the answer to about two minutes.",
    "Mention testing at each stage, not only at the end.",
)
_CODE_SPANS = ("`SELECT *`", "`GROUP BY`", "`asyncio.gather`", "`df.groupby()`", "`kubectl`")
_TERMS = (
    "Idempotency",
    "Backpressure",
    "Watermark",
    "Data Lineage",
    "Change Data Capture",
    "Star Schema",
    "Partition Pruning",
    "Dead-letter Queue",
    "Service Level Objective",
    "Vector Embedding",
    "Retrieval-Augmented Generation",
    "Feature Drift",
)
_TOPICS = (
    "Python",
    "SQL",
    "ETL Processes",
    "API Development",
    "Data Modeling",
    "Cloud Infrastructure",
    "Testing & CI/CD",
    "System Design",
    "Streaming",
    "Data Quality",
    "LLMs and RAG",
    "Behavioural",
)
_CODE = (
    (
        "python",
        "def dedupe(rows):\n    seen = set()\n    for row in rows:\n"
        "        if row.key not in seen:\n            seen.add(row.key)\n            yield row",
    ),
    (
        "sql",
        "SELECT user_id, COUNT(*) AS events\nFROM events\nWHERE day >= CURRENT_DATE - 7\n"
        "GROUP BY user_id\nHAVING COUNT(*) > 10;",
    ),
    ("bash", "kubectl rollout status deploy/ingest\nkubectl logs -l app=ingest --since=10m"),
)


@dataclass(frozen=True)
class Card:
    """One generated note: its section, and its front and back as Markdown and as plain text."""

    section: str
    front_md: str
    back_md: str
    front: str
    back: str


def generate_guide(
    notes: int, seed: int = SEED, markup: float = 1.0, profile: str = "seed"
) -> tuple[str, list[Card]]:
    """A guide of `notes` notes in our format, and the same notes as cards.

    Deterministic for a given seed and profile. `markup` scales how often a `light` hint has
    inline code and emphasis (1: as first measured; 5: most); `seed` ignores it.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
    rng = random.Random(seed)
    out = [
        f"# Generated Interview Guide ({notes} notes)",
        "",
        "This guide was generated for benchmarks. It has the shape of a real study guide: "
        "sections of questions with answer hints, concepts and a few code samples.",
        "",
    ]
    cards: list[Card] = []
    section = ""
    for n in range(notes):
        if n % SECTION_SIZE == 0:
            section = f"{n // SECTION_SIZE + 1}. {rng.choice(_TOPICS)} {n // SECTION_SIZE + 1}"
            out += ["---", "", f"## {section}", ""]
        roll = rng.random()
        if roll < 0.12:
            term = f"{rng.choice(_TERMS)} {rng.choice(_VERBS).title()} {n}"
            definition = _sentences(rng, 3) if profile == "light" else _dense(rng)
            out.append(f"*   **{term}:** {definition}")
            cards.append(Card(section, f"**{term}**", definition, term, _plain(definition)))
            continue
        question = _question(rng, n, profile)
        out.append(f"*   **{question}**")
        if roll < 0.17:  # an open question: no hint
            cards.append(Card(section, f"**{question}**", "", _plain(question), ""))
            continue
        hint = _light_hint(rng, markup) if profile == "light" else _dense(rng)
        out.append(f"    *   *Answer Hint:* {hint}")
        back_md, back = f"*Answer Hint:* {hint}", _plain(hint)
        if roll > 0.97:
            lang, code = rng.choice(_CODE)
            out += [
                "",
                f"        ```{lang}",
                *("        " + ln for ln in code.split("\n")),
                "        ```",
                "",
            ]
            back_md += f"\n\n```{lang}\n{code}\n```"
            back += "\n" + code
        cards.append(Card(section, f"**{question}**", back_md, _plain(question), back))
    out.append("")
    return "\n".join(out), cards


def _question(rng: random.Random, n: int, profile: str) -> str:
    if profile == "light":
        return (
            f"How would you {rng.choice(_VERBS)} {rng.choice(_SUBJECTS)} "
            f"{rng.choice(_CONTEXTS)}, and {rng.choice(_VERBS)} it later (case {n})?"
        )
    subject = rng.choice(_SUBJECTS)
    if rng.random() < 1 / 7:  # as in the seed guide: `code` inside a bold question
        subject = f"{subject} with {rng.choice(_CODE_SPANS)}"
    return f"How would you {rng.choice(_VERBS)} {subject} {rng.choice(_CONTEXTS)} (case {n})?"


def _light_hint(rng: random.Random, markup: float) -> str:
    hint = _sentences(rng, 2)
    if rng.random() < 0.2 * markup:
        hint = hint.replace(" it ", f" {rng.choice(_CODE_SPANS)} ", 1)
    if rng.random() < 0.08 * markup:
        hint = hint.replace(" the ", " *the* ", 1)
    return hint


def _dense(rng: random.Random) -> str:
    """About 32 words: two bold terms and one code span, as every hint of the seed profile."""
    first, second = rng.sample(_TERMS, 2)
    return (
        f"{rng.choice(_ADVICE)} {rng.choice(_CONTEXTS)}, using **{first.lower()}** and "
        f"{rng.choice(_CODE_SPANS)}. Say where **{second.lower()}** fits and what it costs."
    )


def _sentences(rng: random.Random, count: int) -> str:
    parts = [f"{rng.choice(_ADVICE)} {rng.choice(_CONTEXTS)}." for _ in range(count - 1)]
    return " ".join([*parts, rng.choice(_TAILS)])


def _plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("`", "")


def ankdown_cards(cards: list[Card]) -> str:
    """The same cards in ankdown's format: front, `%`, back, `---` between cards."""
    return "\n---\n".join(f"{c.front_md}\n\n%\n\n{c.back_md}\n" for c in cards) + "\n"
