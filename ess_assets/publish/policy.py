"""The publication policy: how far the supplier count may fall before publishing is refused."""

import dagster as dg


class PublicationPolicy(dg.ConfigurableResource):
    """Circuit breaker of the open-data publication (ESS_MAX_DROP).

    `max_drop` is the largest share of suppliers a new publication may lose compared with the
    last one (0.10: a fall of more than 10 % is refused and the last publication stays).
    """

    max_drop: float = 0.10
