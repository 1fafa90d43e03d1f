"""Property: on generated guides, random rewordings (the hint kept) keep their note, random
subject swaps (a new hint) never take an old note's GUID, and untouched notes never change."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from anki_export.identity.ledger import Ledger
from anki_export.pipeline import plan_records
from anki_export.read.guide import parse_guide

SUBJECTS = (
    "Kafka",
    "Spark",
    "Airflow",
    "Docker",
    "Terraform",
    "Redshift",
    "Snowflake",
    "Flink",
    "Postgres",
    "Kubernetes",
    "dbt",
    "Pandas",
    "Dask",
    "Lambda",
    "Kinesis",
    "BigQuery",
    "DynamoDB",
    "Cassandra",
    "Redis",
    "Elasticsearch",
    "Prefect",
    "Dagster",
    "Beam",
    "Hive",
)
FRAMES = (
    "How would you use {s} to build a reliable ingestion pipeline for event data?",
    "What are the main trade-offs of running {s} in production at scale?",
    "Explain how {s} handles failures and retries in a long-running job.",
    "How do you monitor and tune the performance of {s} for large workloads?",
    "Describe a project where you chose {s} over the alternatives, and why.",
)
# Rewordings a person makes: (find, replace) on the frame's words.
REWORDS = (
    ("How would you use", "How could you use"),
    ("reliable", "robust"),
    ("main trade-offs", "key trade-offs"),
    ("in production at scale", "in production"),
    ("Explain how", "Describe how"),
    ("handles failures", "deals with failures"),
    ("monitor and tune", "monitor, profile and tune"),
    ("large workloads", "very large workloads"),
    ("Describe a project where", "Tell me about a project where"),
    ("and why", "and explain why"),
)
WORDS = (
    "partitioning idempotent checkpoint backpressure schema lineage watermark compaction "
    "throughput latency replication sharding caching batching retries alerting quotas "
    "snapshots isolation vacuum clustering indexing windowing serialization"
).split()


def guide_text(notes: list[tuple[str, str]], per_section: int) -> str:
    lines = ["# Generated", ""]
    for n, (front, hint) in enumerate(notes):
        if n % per_section == 0:
            lines += [f"## Section {n // per_section + 1}", ""]
        lines += [f"*   **{front}**", f"    *   *Answer Hint:* {hint}"]
    return "\n".join(lines) + "\n"


def reword(rng: random.Random, front: str) -> str:
    options = [(a, b) for a, b in REWORDS if a in front]
    if not options or rng.random() < 0.3:
        return front.replace("?", ", in practice?").replace(".", ", in practice.")
    a, b = rng.choice(options)
    return front.replace(a, b)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 6))
def test_rewordings_keep_their_note_and_subject_swaps_never_take_one(
    seed: int, per_section: int
) -> None:
    rng = random.Random(seed)
    subjects = rng.sample(SUBJECTS, 14)
    used, spare = subjects[:10], subjects[10:]
    notes = [
        (rng.choice(FRAMES).format(s=s), " ".join(rng.sample(WORDS, 6)).capitalize() + ".")
        for s in used
    ]
    plan = list(range(len(notes)))
    rng.shuffle(plan)
    reworded, swapped = set(plan[:3]), set(plan[3 : 3 + rng.randint(0, 3)])
    edited = list(notes)
    for i in reworded:
        edited[i] = (reword(rng, notes[i][0]), notes[i][1])
    for i, subject in zip(sorted(swapped), spare, strict=False):
        front = notes[i][0].replace(used[i], subject)
        edited[i] = (front, " ".join(rng.sample(WORDS, 6)).capitalize() + "!")

    path = Path("generated.md")
    before = plan_records(parse_guide(path, guide_text(notes, per_section)), Ledger())
    after = plan_records(parse_guide(path, guide_text(edited, per_section)), before.ledger)
    old = [n.guid for n in before.plan.notes]
    new = [n.guid for n in after.plan.notes]
    for i in range(len(notes)):
        if i in reworded:
            assert new[i] == old[i], (notes[i][0], edited[i][0])
        elif i in swapped:
            assert new[i] not in old, (notes[i][0], edited[i][0])
        else:
            assert new[i] == old[i]
    assert len(set(new)) == len(new)
