"""``strife ingest --engine ray``: the ingest pipeline on a Ray cluster, local or joined.

Takes WARC, JSON Lines and Parquet inputs (local, or URIs pyarrow opens). Ray Data
reads them in tasks (:mod:`strife.scale._pages`), cuts the pages into blocks of
``batch_size``, and maps the blocks with ``map_batches`` on a pool of actors that
build the pipeline once each (:mod:`strife.scale._worker`) and pass over the pages
the record holds already (:mod:`strife.scale._known`). The driver takes the
results as they come (in input order) and writes them as Parquet shards, each page
once (:mod:`strife.scale._shards`), reporting progress; then it stores the shards'
pages with the same code as a local ingest (digest dedupe, revisions, one
transaction per batch) and leaves linking to the caller. Without an address a
local cluster starts; with one the job joins it; the code path is the same.
Ray is imported here, in functions, only when this engine runs.
"""

from __future__ import annotations

import logging
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from strife._ingest_work import usable_cores
from strife.errors import SetupError
from strife.ingest import IngestReport, IngestRunState, PageFailure
from strife.scale._known import start_known_pages
from strife.scale._pages import (
    ParquetNames,
    PlannedInput,
    count_planned,
    parquet_pages,
    plan_inputs,
    read_records,
)
from strife.scale._shards import ShardTally, ShardWriter, read_shards
from strife.scale._worker import ExtractPages
from strife.settings import Settings
from strife.store.repository import Repository, RunCounts

#: Object store of a local cluster: pages stream through in small blocks, so a small
#: store is enough, and it leaves the machine's memory to the workers' models.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024
#: Logical CPUs a cluster keeps free of workers, for Ray Data's own light tasks
#: (reading files, cutting blocks): a pool that takes every CPU would starve them and
#: the run would wait forever. A local cluster adds it to the usable cores.
RESERVED_CPUS = 1
#: Ray Data's warning that the pool has more actors than the run has batches.
MIN_ACTORS_WARNING = "The minimum number of concurrent actors"

#: Calls ``progress(phase, counts, done, total)``; phase is "extracting" or "storing".
RayProgress = Callable[[str, RunCounts, int, int | None], None]


@dataclass(slots=True)
class RayReport:
    """A Ray ingest: the local ingest's report, plus the engine's own facts."""

    ingest: IngestReport
    address: str
    workers: int
    shards: str | None
    shard_files: int
    #: Whether the workers passed over pages the record held (False: it was out of reach).
    checked_stored: bool
    #: Rows that came back twice after a fault and were dropped (each page is kept once).
    repeated: int
    extract_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.ingest.to_dict(),
            "engine": "ray",
            "address": self.address,
            "workers": self.workers,
            "shards": self.shards,
            "shard_files": self.shard_files,
            "checked_stored": self.checked_stored,
            "repeated_rows_dropped": self.repeated,
            "extract_seconds": round(self.extract_seconds, 3),
        }


def ingest_with_ray(
    inputs: Sequence[str],
    *,
    repository: Repository,
    settings: Settings,
    address: str | None = None,
    shards: str | None = None,
    workers: int | None = None,
    progress: RayProgress | None = None,
    on_failure: Callable[[PageFailure], None] | None = None,
) -> RayReport:
    """Extract pages on a Ray cluster into Parquet shards, then store them.

    Args:
        inputs: WARC, JSON Lines and Parquet files or folders, local or URIs.
        repository: the open record to store into (from the driver only).
        settings: stage settings; ``batch_size`` pages go to a worker at a time.
        address: a running cluster to join (``ray://host:10001``, ``auto``);
            None starts a local cluster, unless this process is connected already.
        shards: the folder (or URI) for the shards, kept; None uses a temporary one.
        workers: actors running the stages; default: the cluster's CPUs less
            :data:`RESERVED_CPUS`.
        progress: called as pages are extracted, then as they are stored.
        on_failure: called with each page that failed, as it is stored.

    Raises:
        InputError: an input the engine does not read (see :func:`plan_inputs`).
        SetupError: Ray is not installed, or the cluster cannot be reached.
        StorageError: the database refused a write; batches already committed stay.
    """
    planned = plan_inputs(inputs)
    started = time.perf_counter()
    run = IngestRunState(
        IngestReport(repository.start_run(inputs)), repository, None, None, on_failure
    )
    with tempfile.TemporaryDirectory(prefix="strife-shards-") as scratch:
        ray, joined = _connect(address)
        known = None
        try:
            size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)) - RESERVED_CPUS)
            known = start_known_pages(ray, repository)
            dataset = _dataset(planned, settings=settings, workers=size, known=known)
            writer = ShardWriter(shards or scratch)
            total = count_planned(planned)
            extract_seconds = _extract(dataset, writer, total=total, progress=progress)
        finally:
            if not joined:
                ray.shutdown()
            elif known is not None:  # a joined cluster outlives the run; its actor does not
                ray.kill(known)
        _store(run, writer, settings=settings, progress=progress, total=writer.tally)
    report = run.report
    report.seconds = time.perf_counter() - started
    repository.finish_run(report.run_id, counts=report.counts)
    return RayReport(
        ingest=report,
        address=address or "local",
        workers=size,
        shards=shards,
        shard_files=len(writer.files),
        checked_stored=known is not None,
        repeated=writer.tally.repeated,
        extract_seconds=extract_seconds,
    )


def _connect(address: str | None) -> tuple[Any, bool]:
    """Ray, connected: to ``address``, to the cluster this process is on, or a new local one.

    Returns whether the connection was there before (and must then be left open).
    """
    try:
        import ray
    except ImportError as exc:
        raise SetupError(
            "the Ray engine needs Ray: pip install 'strife[ray]'", source="--engine ray"
        ) from exc
    if ray.is_initialized():
        return ray, True
    options: dict[str, Any] = {
        "include_dashboard": False,
        "logging_level": logging.ERROR,
        "log_to_driver": False,  # the workers' output would break the progress display
        "configure_logging": True,
    }
    if address is None:
        options.update(
            num_cpus=usable_cores() + RESERVED_CPUS,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
        )
    try:
        ray.init(address=address, **options)
    except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
        where = address or "a local cluster"
        raise SetupError(
            f"cannot start or join {where} ({type(exc).__name__}: {exc})", source="--address"
        ) from exc
    return ray, False


def _dataset(
    planned: Sequence[PlannedInput], *, settings: Settings, workers: int, known: Any | None
) -> Any:
    """The Ray Data plan: read, cut into batches, extract on the actor pool."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the driver draws its own
    context.execution_options.preserve_order = True  # revisions are stored in input order
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    parts = []
    records = [item for item in planned if item.kind != "parquet"]
    if records:
        items = [{"index": i.index, "location": i.location, "kind": i.kind} for i in records]
        listed = ray.data.from_items(items, override_num_blocks=len(items))
        parts.append(
            listed.map_batches(
                partial(read_records, settings=settings), batch_size=1, batch_format="pyarrow"
            )
        )
    # One read per Parquet input: each may be on its own filesystem, and its rows are
    # named from its own URI (Ray gives their paths without the scheme).
    for item in planned:
        if item.kind == "parquet":
            pages_of = partial(parquet_pages, settings=settings, names=ParquetNames(item.location))
            read = ray.data.read_parquet(item.location, include_paths=True)
            parts.append(read.map_batches(pages_of, batch_format="pyarrow"))
    pages = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    batch = max(settings.batch_size, 1)
    return pages.repartition(target_num_rows_per_block=batch).map_batches(
        ExtractPages,
        fn_constructor_kwargs={"settings": settings, "known": known},
        batch_size=batch,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        # Ray Data starts a killed actor again and resends its batch (its defaults:
        # max_restarts=-1, max_task_retries=-1); ShardWriter still keeps each page once.
        num_cpus=1,
    )


def _extract(
    dataset: Any, writer: ShardWriter, *, total: int | None, progress: RayProgress | None
) -> float:
    """Run the plan, writing its results as shards as they come; returns its seconds."""
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            # A run of fewer batches than workers is no fault (Ray warns of idle actors).
            warnings.filterwarnings("ignore", MIN_ACTORS_WARNING, UserWarning)
            for table in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                writer.write(table)
                if progress is not None:
                    counts = RunCounts(
                        unchanged=writer.tally.already_stored,
                        already_stored=writer.tally.already_stored,
                        failed=writer.tally.failed,
                    )
                    done = writer.tally.pages + writer.tally.skipped
                    progress("extracting", counts, done, total)
    finally:
        writer.close()
    return time.perf_counter() - started


def _store(
    run: IngestRunState,
    writer: ShardWriter,
    *,
    settings: Settings,
    progress: RayProgress | None,
    total: ShardTally,
) -> None:
    """Store the shards' pages, one transaction per batch, as a local ingest does."""
    from strife._ingest_work import Batch

    for pages in read_shards(writer, batch_size=max(settings.batch_size, 1)):
        results = []
        for page in pages:
            if page.skipped is not None:
                run.report.skipped[page.skipped] += 1
            elif page.already_stored:
                run.report.counts.skip_stored()
            elif page.result is not None:
                results.append(page.result)
        run.save(Batch(), results)
        if progress is not None:
            done = run.report.pages + run.report.skipped.total()
            progress("storing", run.report.counts, done, total.pages + total.skipped)
