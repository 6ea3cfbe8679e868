"""The intake policy: how many rows a source's file may lose before it is taken for broken."""

import dagster as dg


class IntakePolicy(dg.ConfigurableResource):
    """Guard of the raw assets (ESS_SOURCE_MAX_DROP).

    `max_drop` is the largest share of rows a source's file may lose compared with its last
    good file (0.5: a file with less than half the rows fails its asset, and the source keeps
    its last good table). A file cut short on a line end reads as a whole, smaller file: only
    its size against yesterday's tells it apart.
    """

    max_drop: float = 0.5
