"""One pool of worker processes, shared by the stages of a run.

Parsing and formatting are CPU-bound and independent per file.  The pool
starts on first use, only once a stage has more work than is worth sending
to other processes, and a stage *streams* into it: while the main process
renders the next files, the workers already format the first ones.

Workers die with the main process: each watches multiprocessing's own pipe to
its parent (``parent_process().sentinel``, closed by the kernel when the
parent dies, even by SIGKILL) and exits when it closes.  They ignore SIGINT
(Ctrl-C reaches the whole process group): the main process decides, and
shuts them down.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # imported when the pool starts: a run the caches serve
    from concurrent.futures import Future, ProcessPoolExecutor  # needs none

T = TypeVar("T")
R = TypeVar("R")

# Worker processes pay off once each of two gets this many items.
THRESHOLD = 24
# Items per task sent to a worker: enough to amortise the pickling, few enough
# that the workers finish together.
CHUNK = 8


def _run(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _orphaned(sentinel: int) -> None:
    import multiprocessing.connection

    multiprocessing.connection.wait([sentinel])
    os._exit(1)  # the parent is gone: nobody wants the result


SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done.

    For steps that must not be cut in half: swapping two folders, and
    starting worker processes (a signal that arrives while the pool forks is
    otherwise lost in an at-fork handler, or leaves workers no one stops).
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker() -> None:
    """In each worker: ignore Ctrl-C, die of SIGTERM (not the parent's handler,
    inherited through fork), and exit as soon as the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)  # blocked while forking
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_orphaned, args=(parent.sentinel,))
        watch.daemon = True
        watch.start()


class Workers:
    """A process pool started on first use (``jobs`` 1: everything in-process)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(cancel=kind is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: when they are idle, or at once with ``cancel``
        (an error or a signal: the results are not wanted)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:  # an interrupt may even have come while the pool started
            terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
            if terminate is not None:
                terminate()
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=cancel)

    def warm(self, function: Callable[[], object]) -> None:
        """Run ``function`` in each started worker when it is next idle (to load
        what the next stage needs while this process prepares that stage)."""
        if self._pool is not None:
            for _ in range(self.jobs):
                self._pool.submit(function)

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``function`` over ``items``, results in order.

        The first ``2 * THRESHOLD`` items are only collected; if more follow
        (and there is more than one core), every item goes to the pool in
        chunks as it is produced, and the results are yielded once all are
        submitted.
        ``function`` must be picklable (a module-level function or a partial).
        """
        source = iter(items)
        head = list(islice(source, 2 * THRESHOLD))
        if self.jobs < 2 or len(head) < 2 * THRESHOLD:
            yield from map(function, chain(head, source))
            return
        futures = [self._submit(function, chunk) for chunk in _chunks(head, source)]
        for future in futures:
            yield from future.result()

    def _submit(self, function: Callable[[T], R], chunk: list[T]) -> Future[list[R]]:
        with deferred_signals():
            if self._pool is None:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(self.jobs, initializer=_start_worker)
            return self._pool.submit(_run, function, chunk)


def _chunks(head: list[T], rest: Iterator[T]) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in chain(head, rest):
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
