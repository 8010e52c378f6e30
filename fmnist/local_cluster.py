"""The app's local Dask cluster, in a process of its own: `python -m fmnist.local_cluster N`.

It starts a scheduler on loopback and N worker processes (one run at a time each, preloaded
with fmnist.worker), prints the scheduler's address as its first line, and serves until its
standard input closes: fmnist/cluster.py holds that pipe, so the cluster ends with the web
server that started it, however that ends (a kill -9 included).

Why a process of its own: worker processes are started with multiprocessing's "spawn", which
runs the parent's main module again in each child. Under Streamlit that module is the app's
script, which would draw pages and start clusters in every worker. Here the main module is
this one, and it does nothing on import.
"""

from __future__ import annotations

import logging
import sys

import fmnist.worker


def main(workers: int) -> None:
    # The scheduler only relays (a few small messages a second per run); below the web
    # server, as its workers are, so that starting it and them never slows a page.
    fmnist.worker.lower_group_priority()
    import dask
    from distributed import LocalCluster

    dask.config.set(
        {
            # A worker that dies fails its run at once (the app marks the run interrupted and
            # keeps its last epoch) instead of the run starting over on another worker.
            "distributed.scheduler.allowed-failures": 0,
            # Its nanny starts it again, however long that takes. LocalCluster would otherwise
            # close for good a nanny whose worker is still missing 15 s after a death (killed,
            # then recycled or killed again on a busy machine): one worker fewer from then on.
            "distributed.deploy.lost-worker-timeout": "3650 days",
        }
    )
    cluster = LocalCluster(
        n_workers=1,  # then the others: the first run need not wait for them all to import TensorFlow
        threads_per_worker=1,  # one run per worker at a time; TensorFlow uses the cores itself
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
        preload=["fmnist.worker"],
        silence_logs=logging.ERROR,
        memory_limit=0,  # the app restarts a grown worker between runs, never one mid-run
    )
    print(cluster.scheduler_address, flush=True)
    cluster.scale(workers)
    try:
        sys.stdin.read()  # until the web server closes the pipe or dies
    finally:
        cluster.close(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]))
