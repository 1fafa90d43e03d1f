"""Hand-made edits of the seed guide: rewordings that must keep their note, and near-misses
(another question written in the same place) that must not take the old note's GUID.

Each case is one edit of the guide, applied on its own to the seed: `fronts` are (old front
fragment, new front fragment, same note?) replacements in the guide's text; `also` are other
replacements made with it (a new hint, an added hint); `moves` are whole items swapped or removed.
A fragment must occur exactly once in the guide. Written by hand, before the matcher was tuned,
and not tuned to: a held-out set of the same kinds checks the matcher too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    category: str
    fronts: tuple[tuple[str, str, bool], ...]
    also: tuple[tuple[str, str], ...] = ()
    #: ("swap", a, b): swap the items whose first lines hold a and b; ("remove", a, ""): remove;
    #: ("move", a, b): move the item holding b to just after the one holding a.
    moves: tuple[tuple[str, str, str], ...] = ()


def same(category: str, old: str, new: str, *also: tuple[str, str]) -> Case:
    return Case(category, ((old, new, True),), tuple(also))


def other(category: str, old: str, new: str, old_hint: str, new_hint: str) -> Case:
    """A different question in the old one's place, with its own hint."""
    return Case(category, ((old, new, False),), ((old_hint, new_hint),))


CASES: tuple[Case, ...] = (
    # Synonyms: a word or phrase for another, the hint as it was.
    same(
        "synonym",
        "Tell me about a time you designed and implemented a complex",
        "Tell me about a time you built a complex",
    ),
    same(
        "synonym",
        "How do you stay updated with the latest technologies",
        "How do you keep up with new technologies",
    ),
    same(
        "synonym",
        "Describe a situation where you had to deal with a production issue in a data pipeline. "
        "How did you troubleshoot and resolve it?",
        "Describe a time you dealt with a production incident in a data pipeline. "
        "How did you debug and fix it?",
    ),
    same(
        "synonym",
        "How do you optimize SQL queries for performance when dealing with large tables?",
        "How do you speed up SQL queries on very large tables?",
    ),
    same(
        "synonym",
        "What are common challenges in ETL processes, and how do you mitigate them?",
        "What are typical problems in ETL processes, and how do you mitigate them?",
    ),
    same(
        "synonym",
        "How do you handle schema evolution in a production data pipeline",
        "How do you handle schema changes in a production data pipeline",
    ),
    same(
        "synonym",
        "What AWS services are you most familiar with for data engineering tasks? "
        "Explain how you've used them.",
        "Which AWS services do you know best for data engineering work? "
        "Explain how you've used them.",
    ),
    same(
        "synonym",
        "How do you implement automated testing for data pipelines?",
        "How do you automate the testing of data pipelines?",
    ),
    same(
        "synonym",
        "What are some prompt engineering techniques you are aware of? Why is it important?",
        "Which prompt engineering techniques do you know? Why does it matter?",
    ),
    same(
        "synonym",
        "How did you ensure the pipeline was scalable and maintainable?",
        "How did you make sure the pipeline was scalable and maintainable?",
    ),
    # Paraphrases: the question said another way, the hint kept.
    same(
        "paraphrase",
        "Describe a challenging data integration project you worked on. What were the main "
        "obstacles, and how did you overcome them?",
        "Which hard data integration project have you worked on, and how did you get past "
        "its main obstacles?",
    ),
    same(
        "paraphrase",
        "Tell me about a time you had to ensure data accuracy and reliability. What mechanisms "
        "did you implement?",
        "Give an example of making data accurate and reliable: which mechanisms did you put "
        "in place?",
    ),
    same(
        "paraphrase",
        "How do you handle large datasets in Python efficiently? Discuss memory management and "
        "performance optimization techniques.",
        "What techniques do you use to process large datasets efficiently in Python, for "
        "memory and for speed?",
    ),
    same(
        "paraphrase",
        "What is the difference between `WHERE` and `HAVING` clauses?",
        "How does `WHERE` differ from `HAVING`?",
    ),
    same(
        "paraphrase",
        "Explain how Pydantic is used in FastAPI.",
        "How does FastAPI use Pydantic?",
    ),
    same(
        "paraphrase",
        "Explain the concepts of stream processing and batch processing. Provide examples of "
        "when you would use each.",
        "Compare stream processing with batch processing, and say when you would pick each.",
    ),
    same(
        "paraphrase",
        "Why choose FastAPI for API development? What are its key advantages?",
        "What makes FastAPI a good choice for building APIs?",
    ),
    same(
        "paraphrase",
        "How would you design a data warehouse for a company like Reejig to analyze",
        "How would you design Reejig's data warehouse to analyze",
    ),
    same(
        "paraphrase",
        "Can you explain what Retrieval Augmented Generation (RAG) is? How does it enhance "
        "LLM capabilities?",
        "What is Retrieval-Augmented Generation, and what does it add to an LLM?",
    ),
    # Expanded fronts.
    same(
        "expanded",
        "How would you test a FastAPI application?",
        "How would you write unit and integration tests for a FastAPI application?",
    ),
    same(
        "expanded",
        "How would you approach debugging a slow SQL query?",
        "How would you approach debugging a slow SQL query that used to be fast?",
    ),
    same(
        "expanded",
        "What is data idempotency in the context of ETL pipelines, and why is it important?",
        "What is data idempotency in the context of ETL pipelines, why is it important, and "
        "how do you achieve it for loads into a warehouse?",
    ),
    same(
        "expanded",
        "Describe common table expressions (CTEs). Why are they useful?",
        "Describe common table expressions (CTEs), including recursive ones. Why are they "
        "useful, and when would you use a subquery instead?",
    ),
    same(
        "expanded",
        "How do you manage infrastructure as code (IaC) for your data solutions in AWS?",
        "How do you manage infrastructure as code (IaC), e.g. with Terraform or the CDK, for "
        "your data solutions in AWS?",
    ),
    # Shortened fronts.
    same(
        "shortened",
        "What libraries or frameworks have you used (e.g., Pandas, Dask, Airflow, Prefect, "
        "Spark with PySpark)?",
        "What libraries or frameworks have you used?",
    ),
    same(
        "shortened",
        "How do you collaborate with cross-functional teams, such as software engineers, ML "
        "engineers, and product managers? Can you give an example?",
        "How do you collaborate with cross-functional teams?",
    ),
    same(
        "shortened",
        "Explain the concepts of normalization and denormalization in database design. When "
        "would you choose one over the other?",
        "Explain normalization and denormalization.",
    ),
    same(
        "shortened",
        "What types of tests are important for data pipelines? (e.g., unit, integration, data "
        "quality, end-to-end).",
        "What types of tests are important for data pipelines?",
    ),
    same(
        "shortened",
        "Discuss the trade-offs between different data storage solutions (e.g., S3 data lake, "
        "relational databases, NoSQL databases, data warehouses) for different parts of a data "
        "pipeline.",
        "Discuss the trade-offs between data storage solutions in a data pipeline.",
    ),
    same(
        "shortened",
        "Describe your experience with data pipeline orchestration tools (e.g., Airflow, "
        "Prefect, Luigi, Dagster, AWS Step Functions).",
        "Describe your experience with orchestration tools.",
    ),
    # Typos, made or fixed.
    same(
        "typo",
        "How do you handle authentication and authorization in FastAPI?",
        "How do you handle authenitcation and authorisation in FastAPI?",
    ),
    same(
        "typo",
        "What are generators in Python and why are they useful for data processing?",
        "What are genrators in Pyhton and why are they usefull for data procesing?",
    ),
    same(
        "typo",
        "How do you implement data quality checks and validation throughout an ETL pipeline?",
        "How do you implment data qualty checks and validaton throughout an ETL pipline?",
    ),
    same(
        "typo",
        "Discuss security best practices for data pipelines and data stores in AWS.",
        "Discuss securty best practises for data piplines and data stores in AWS.",
    ),
    # Open questions: no hint, only the words and the place.
    same(
        "open question",
        "Can you give an overview of the ONET data pipeline project? What was its main goal?",
        "Give an overview of the ONET data pipeline project and its main goal.",
    ),
    same(
        "open question",
        "What were the primary data sources for the ONET data? How did you handle ingestion "
        "(e.g., downloading files, API access)?",
        "What were the main data sources for the ONET data, and how did you ingest them?",
    ),
    same(
        "open question",
        "What data quality challenges did you encounter with the ONET dataset, and how did you "
        "address them?",
        "Which data quality problems did you run into with the ONET dataset, and how did you "
        "fix them?",
    ),
    same(
        "open question",
        "If you were to continue developing this pipeline, what would be your next steps or "
        "improvements?",
        "If you kept developing this pipeline, what would you improve next?",
    ),
    same(
        "open question",
        "What was the data model for the processed ONET data? How was it stored?",
        "What data model did you use for the processed ONET data, and how did you store it?",
    ),
    same(
        "open question",
        "How did the requirements (from `requirements.md` or `prd-onet-data-pipeline.md`) "
        "influence your design choices?**",
        "How did the requirements influence your design choices?**\n"
        "    *   *Answer Hint:* Tie each design choice to a requirement it serves.",
    ),
    # Concepts: the term reworded, the definition kept.
    same("concept", "**Think Aloud:**", "**Think Out Loud:**"),
    same("concept", "**Clarify:**", "**Ask Clarifying Questions:**"),
    same("concept", "**Be Enthusiastic:**", "**Show Enthusiasm:**"),
    same("concept", "**Reejig's Mission:**", "**The Mission of Reejig:**"),
    same("concept", "**Role Focus:**", "**Focus of the Role:**"),
    same("concept", "**STAR Method:**", "**The STAR Technique:**"),
    # Lists: the label reworded, the items kept.
    same("list", "**Team & Culture:**", "**Team and Culture:**"),
    same("list", "**Projects & Technology:**", "**Projects and Tech Stack:**"),
    same("list", "**Role & Growth:**", "**Growth in the Role:**"),
    same("list", "**Impact:**", "**The Team's Impact:**"),
    # Several edits in one section.
    Case(
        "several in a section",
        (
            (
                "Explain different types of JOINs (INNER, LEFT, RIGHT, FULL OUTER, CROSS) and "
                "provide use cases for each.",
                "Explain the kinds of SQL JOIN, with a use case for each.",
                True,
            ),
            (
                "How do you optimize SQL queries for performance when dealing with large tables?",
                "How do you tune SQL queries against big tables?",
                True,
            ),
            (
                "Describe common table expressions (CTEs). Why are they useful?",
                "What are CTEs and why use them?",
                True,
            ),
            (
                "Explain different SQL isolation levels and their implications.",
                "Explain the SQL transaction isolation levels and what each one implies.",
                True,
            ),
        ),
    ),
    Case(
        "several in a section",
        (
            (
                "Why choose FastAPI for API development? What are its key advantages?",
                "Why pick FastAPI to build an API?",
                True,
            ),
            (
                "How would you design and implement a RESTful API using FastAPI to expose data "
                "from a data pipeline or database?",
                "How would you build a REST API on FastAPI that "
                "serves data from a pipeline or a database?",
                True,
            ),
            ("Explain how Pydantic is used in FastAPI.", "What does Pydantic do in FastAPI?", True),
            (
                "How do you handle authentication and authorization in FastAPI?",
                "How do you secure a FastAPI app (authentication and authorization)?",
                True,
            ),
            (
                "Describe how to manage dependencies and configurations in a FastAPI application.",
                "How do you manage dependencies and settings in FastAPI?",
                True,
            ),
            ("How would you test a FastAPI application?", "How do you test FastAPI code?", True),
        ),
    ),
    Case(
        "several in a section",
        (
            (
                "Tell me about a time you designed and implemented a complex data pipeline from "
                "scratch.",
                "Tell me about a complex data pipeline you built from scratch.",
                True,
            ),
            (
                "How do you stay updated with the latest technologies and trends in data "
                "engineering?",
                "How do you keep your data engineering knowledge current?",
                True,
            ),
            (
                "How do you approach breaking down complex technical problems into pragmatic and "
                "effective solutions, especially in a fast-paced environment?",
                "How do you break "
                "a complex technical problem into pragmatic solutions when time is short?",
                True,
            ),
        ),
    ),
    # Swapped neighbours, both reworded.
    Case(
        "swap",
        (
            (
                "What is the difference between `WHERE` and `HAVING` clauses?",
                "How do `WHERE` and `HAVING` differ?",
                True,
            ),
            (
                "How would you approach debugging a slow SQL query?",
                "How do you debug a slow SQL query?",
                True,
            ),
        ),
        moves=(("swap", "`WHERE` and `HAVING`", "debug"),),
    ),
    Case(
        "swap",
        (
            (
                "How do you implement automated testing for data pipelines?",
                "How do you automate tests for data pipelines?",
                True,
            ),
            (
                "How do you handle test data management for your data pipeline tests?",
                "How do you manage the test data of data pipeline tests?",
                True,
            ),
        ),
        moves=(("swap", "automate tests", "manage the test data"),),
    ),
    Case(
        "swap",
        (
            ("**Be Honest:**", "**Honesty:**", True),
            ("**Be Enthusiastic:**", "**Enthusiasm:**", True),
        ),
        moves=(("swap", "**Honesty:**", "**Enthusiasm:**"),),
    ),
    # A reworded note next to a removed one.
    Case(
        "next to removed",
        (
            (
                "Explain different SQL isolation levels and their implications.",
                "What are SQL's isolation levels, and what does each imply?",
                True,
            ),
        ),
        moves=(("remove", "How would you approach debugging a slow SQL query?", ""),),
    ),
    Case(
        "next to removed",
        (
            (
                "What are Python decorators, and how might they be used in a data engineering "
                "context?",
                "What are decorators in Python, and where do they help in data engineering?",
                True,
            ),
        ),
        moves=(("remove", "Describe error handling, logging, and monitoring", ""),),
    ),
    Case(
        "next to removed",
        (
            (
                "How did you ensure the pipeline was scalable and maintainable?",
                "How did you keep the pipeline scalable and easy to maintain?",
                True,
            ),
        ),
        moves=(("remove", "If you were to continue developing this pipeline", ""),),
    ),
    # Reworded with the back lightly edited too.
    same(
        "back edited too",
        "What are Python decorators, and how might they be used in a data engineering context?",
        "What are decorators in Python, and how can they help in data engineering?",
        (
            "caching results, or enforcing retries.",
            "caching results, enforcing retries, or checking arguments.",
        ),
    ),
    same(
        "back edited too",
        "How would you approach debugging a slow SQL query?",
        "How do you find out why a SQL query is slow?",
        ("missing indexes, data skew.", "missing or unused indexes, data skew, stale statistics."),
    ),
    same(
        "back edited too",
        "**Be Honest:**",
        "**Be Honest About Gaps:**",
        ("it's okay to admit it.", "it's fine to say so."),
    ),
    same(
        "back edited too",
        "**Role & Growth:**",
        "**Role and Career Growth:**",
        (
            "What are the expectations for this role in the first 3-6 months?",
            "What would success look like in the first six months?",
        ),
    ),
    # Moved to another section and reworded, the hint kept.
    Case(
        "moved and reworded",
        (
            (
                "How would you test a FastAPI application?",
                "How do you write tests for a FastAPI service?",
                True,
            ),
        ),
        moves=(("move", "end-to-end", "How do you write tests for a FastAPI service?"),),
    ),
    Case(
        "moved and reworded",
        (
            (
                "Explain different SQL isolation levels and their implications.",
                "What are the transaction isolation levels, and what does each imply?",
                True,
            ),
        ),
        moves=(("move", "normalization and denormalization", "transaction isolation levels"),),
    ),
    # Near-misses: a subject swapped in an otherwise identical sentence, with a new hint.
    other(
        "near-miss: subject swap",
        "Explain how Docker can be used to deploy data pipelines and APIs.",
        "Explain how Terraform can be used to deploy data pipelines and APIs.",
        "Containerization for consistent environments, dependency management, portability, "
        "scalability.",
        "Declarative infrastructure, plan and apply, remote state, modules, drift detection.",
    ),
    other(
        "near-miss: subject swap",
        "How do you handle authentication and authorization in FastAPI?",
        "How do you handle authentication and authorization in Django?",
        "OAuth2, API keys, JWT tokens, dependency injection for security.",
        "Django's auth app: sessions, users, groups and permissions; DRF token classes.",
    ),
    other(
        "near-miss: subject swap",
        "What are window functions in SQL?",
        "What are aggregate functions in SQL?",
        "Explain their ability to perform calculations across a set of table rows that are "
        "somehow related to the current row.",
        "COUNT, SUM, AVG, MIN and MAX collapse many rows into one value per group.",
    ),
    other(
        "near-miss: subject swap",
        "How would you test a FastAPI application?",
        "How would you deploy a FastAPI application?",
        "Using `TestClient`, pytest, unit tests for business logic, integration tests for API "
        "endpoints.",
        "Uvicorn or Gunicorn workers behind a reverse proxy, a Docker image, health checks.",
    ),
    other(
        "near-miss: subject swap",
        "Explain the concepts of normalization and denormalization in database design.",
        "Explain the concepts of sharding and replication in database design.",
        "Normalization reduces redundancy and improves data integrity (good for OLTP). "
        "Denormalization improves query performance by adding redundant data (good for "
        "OLAP/data warehousing).",
        "Sharding splits rows across nodes to scale writes; replication copies them to scale "
        "reads and survive failures.",
    ),
    other(
        "near-miss: subject swap",
        "What is the difference between `WHERE` and `HAVING` clauses?",
        "What is the difference between `UNION` and `UNION ALL` clauses?",
        "`WHERE` filters rows before grouping; `HAVING` filters groups after aggregation.",
        "`UNION` removes duplicate rows; `UNION ALL` keeps them and skips the sort.",
    ),
    other(
        "near-miss: subject swap",
        "What is Kubernetes (K8s), and how can it be used to manage containerized data "
        "applications in AWS (e.g., using EKS)?",
        "What is Amazon ECS, and how can it be used to manage containerized data applications "
        "in AWS (e.g., using Fargate)?",
        "Orchestration of containers, auto-scaling, self-healing, service discovery, managing "
        "stateful applications.",
        "AWS's own scheduler: task definitions, services, the Fargate launch type, task roles.",
    ),
    other(
        "near-miss: subject swap",
        "What are generators in Python and why are they useful for data processing?",
        "What are context managers in Python and why are they useful for data processing?",
        "Memory efficiency for large data streams, lazy evaluation.",
        "`with` blocks release files, connections and locks even when an exception is raised.",
    ),
    other(
        "near-miss: subject swap",
        "Explain different SQL isolation levels and their implications.",
        "Explain different SQL index types and their implications.",
        "Read Uncommitted, Read Committed, Repeatable Read, Serializable. Discuss trade-offs "
        "between consistency and concurrency.",
        "B-tree, hash, GIN and BRIN indexes: which queries each speeds up, and the write cost.",
    ),
    other(
        "near-miss: subject swap",
        "How do you implement automated testing for data pipelines?",
        "How do you implement automated monitoring for data pipelines?",
        "Frameworks like pytest, tools for data quality checks (e.g., Great Expectations, dbt "
        "tests), testing data transformations with sample data.",
        "Freshness, volume and schema checks against SLAs, with alerts routed to whoever is on "
        "call.",
    ),
    other(
        "near-miss: subject swap",
        "Can you explain what Retrieval Augmented Generation (RAG) is?",
        "Can you explain what fine-tuning is?",
        "RAG combines pre-trained LLMs with external knowledge retrieval. Reduces "
        "hallucinations, allows LLMs to use up-to-date or proprietary information.",
        "Further training of a pre-trained model on task examples; it changes the weights, "
        "where retrieval only changes the prompt.",
    ),
    other(
        "near-miss: subject swap",
        "What are slowly changing dimensions (SCDs)? Describe Type 1, Type 2, and Type 3 SCDs.",
        "What are fact tables? Describe transaction, periodic snapshot and accumulating "
        "snapshot fact tables.",
        "Techniques for managing changes in dimension data over time. Type 1: Overwrite. "
        "Type 2: Add new row (history). Type 3: Add new attribute.",
        "Transaction facts record events; periodic snapshots record state at intervals; "
        "accumulating snapshots track a process through its milestones.",
    ),
    Case(
        "near-miss: subject swap",
        (
            (
                "What were the primary data sources for the ONET data? How did you handle",
                "What were the primary data sources for the BLS data? How did you handle",
                False,
            ),
        ),
    ),
    Case(
        "near-miss: subject swap",
        (
            (
                "How would you design a data warehouse for a company like Reejig to analyze "
                "workforce data, skills, and job trends?",
                "How would you design a data lake for a company like "
                "Canva to analyze design data, templates, and usage trends?",
                False,
            ),
        ),
        also=(
            (
                "Consider data sources (internal HR systems, external job market data, skills "
                "ontologies)",
                "Consider event sources (editor telemetry, template catalogue, billing)",
            ),
        ),
    ),
    # Written after the matcher was done, as a check that it was not fitted to the cases above.
    same(
        "open question",
        "What technologies (languages, frameworks, cloud services) did you use or plan to use for "
        "this pipeline? Why?",
        "Which languages, frameworks and cloud services did you use (or plan to use) for this "
        "pipeline, and why?",
    ),
    same(
        "open question",
        "What were some of the most complex tasks or challenges in this project",
        "What were the hardest tasks or challenges in this project",
    ),
    same(
        "open question",
        "Describe the key ETL steps involved in processing the ONET data. What transformations "
        "were performed?",
        "Walk me through the ETL steps you used on the ONET data and the transformations they "
        "applied.",
    ),
    same(
        "open question",
        "Can you give an overview of the ONET data pipeline project? What was its main goal?",
        "Summarize the ONET data pipeline project: what was it for?",
    ),
    same(
        "open question",
        "If you were to continue developing this pipeline, what would be your next steps or "
        "improvements?",
        "What would you improve next if you kept working on this pipeline?",
    ),
    same(
        "synonym",
        "Tell me about a time you had to ensure data accuracy and reliability.",
        "Tell me about a time you had to guarantee data accuracy and reliability.",
    ),
    same(
        "synonym",
        "How do you collaborate with cross-functional teams",
        "How do you work with cross-functional teams",
    ),
    same(
        "synonym",
        "What are common challenges in ETL processes",
        "What are frequent difficulties in ETL processes",
    ),
    same("concept", "**Be Enthusiastic:**", "**Show Your Enthusiasm:**"),
    same("concept", "**Clarify:**", "**Clarifying Questions:**"),
    same("concept", "**Think Aloud:**", "**Narrate Your Thinking:**"),
    same("list", "**Projects & Technology:**", "**Projects & Tech:**"),
    same("list", "**Team & Culture:**", "**About the Team:**"),
    same(
        "paraphrase",
        "What factors do you consider when choosing between a relational (SQL) and a NoSQL "
        "database for a project?",
        "SQL or NoSQL: how do you decide for a project?",
    ),
    same(
        "paraphrase",
        "Why choose FastAPI for API development? What are its key advantages?",
        "What are the advantages of FastAPI?",
    ),
    same(
        "typo",
        "What is data idempotency in the context of ETL pipelines",
        "What is data idempotncy in the contxt of ETL pipelines",
    ),
    other(
        "near-miss: subject swap",
        "What are common challenges in ETL processes, and how do you mitigate them?",
        "What are common challenges in ML training pipelines, and how do you mitigate them?",
        "Data quality issues, schema evolution, scalability, performance bottlenecks, dependency "
        "management, error recovery.",
        "Label noise, feature skew between training and serving, reproducibility of runs.",
    ),
    other(
        "near-miss: subject swap",
        "How do you handle schema evolution in a production data pipeline and its underlying data "
        "stores?",
        "How do you handle access control in a production data pipeline and its underlying data "
        "stores?",
        "Schema migration tools (e.g., Alembic), backward/forward compatibility, versioning, "
        "adding nullable columns, views.",
        "IAM roles per stage, column-level grants, row filters, audit logs.",
    ),
    other(
        "near-miss: subject swap",
        "Describe a challenging data integration project you worked on.",
        "Describe a data project you led that failed.",
        "Focus on integrating disparate data sources, schema mismatches, API limitations, data "
        "consistency issues.",
        "Own the failure, the warning signs you missed, and what you changed afterwards.",
    ),
    Case(
        "near-miss: subject swap",
        (
            (
                "How did you ensure the pipeline was scalable and maintainable?",
                "How did you ensure the pipeline was secure and compliant?",
                False,
            ),
        ),
    ),
    Case(
        "near-miss: subject swap",
        (
            (
                "What data quality challenges did you encounter with the ONET dataset, and how "
                "did you address them?",
                "What performance challenges did you encounter with the ONET dataset, and how did "
                "you address them?",
                False,
            ),
        ),
    ),
    # Near-misses: a new question in the old one's place.
    other(
        "near-miss: new in place",
        "How do you stay updated with the latest technologies and trends in data engineering?",
        "How do you mentor junior engineers on a data engineering team?",
        "Mention blogs, conferences, online courses, open-source projects, and hands-on "
        "experimentation.",
        "Pairing, code review with reasons, small owned projects, and regular one-to-ones.",
    ),
    other(
        "near-miss: new in place",
        "How would you approach debugging a slow SQL query?",
        "How would you design a partitioning scheme for a large fact table?",
        "Check execution plan, look for full table scans, inefficient joins, missing indexes, "
        "data skew.",
        "Partition by the date most queries filter on; keep partitions to a few GB; cluster "
        "by the next most selective column.",
    ),
    other(
        "near-miss: new in place",
        "**Be Honest:** If you don't know an answer, it's okay to admit it.",
        "**Be Concise:** Answer the question that was asked first.",
        "Explain how you would go about finding the answer.",
        "Then add detail if the interviewer wants it.",
    ),
    other(
        "near-miss: new in place",
        "Describe how to manage dependencies and configurations in a FastAPI application.",
        "Describe how to version a FastAPI application's API.",
        "Using `Depends` for dependency injection, environment variables, or configuration files.",
        "URL prefixes such as /v1 in separate routers, deprecation headers, and a changelog.",
    ),
    Case(
        "near-miss: new in place",
        (
            (
                "What was the data model for the processed ONET data? How was it stored?",
                "Who were the stakeholders of the ONET project, and how did you report progress to "
                "them?",
                False,
            ),
        ),
    ),
    Case(
        "near-miss: new in place",
        (
            (
                "If you were to continue developing this pipeline, what would be your next steps "
                "or improvements?",
                "What would you do differently if you started this project again?",
                False,
            ),
        ),
    ),
    Case(
        "near-miss: new in place",
        (("**Impact:**", "**Compensation & Benefits:**", False),),
        also=(
            (
                "How does the work of the data engineering team directly contribute to Reejig's "
                'mission of "Zero Wasted Potential"?',
                "How is the salary band set for this role?",
            ),
            (
                "Can you share an example of a recent data project that had a significant impact?",
                "What is the policy on remote work and learning budgets?",
            ),
        ),
    ),
)
