"""Whether the fast Parquet path applies to a file and a stream, and which columns it reads.

It applies when every event objective of the stream classifies by attributes alone (ratio and
probe indicators), the timestamp column is a Parquet timestamp with a time zone and has no null,
and versions start on whole minutes; `eligible` says why not otherwise (`NotEligible`), and
callers fall back to the row-by-row path, which reports bad rows one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from attain.engine.instant import US_PER_MINUTE
from attain.engine.versions import InForce
from attain.ingestion.parquet import TIMESTAMP
from attain.model import AvailabilityIndicator, Objective, RatioIndicator, Selector, stream_name


class NotEligible(ValueError):
    """The file or the objectives need the row-by-row path; the message says why."""


def stream_objectives(versions: Sequence[InForce], stream: str) -> list[str]:
    """Names of the objectives (any version) counted per minute from events of `stream`, in order."""
    names: list[str] = []
    for version in versions:
        for objective in version.agreement.objectives:
            if counted(objective, stream) and objective.name not in names:
                names.append(objective.name)
    return names


def counted(objective: Objective, stream: str) -> bool:
    """Whether `objective` is counted per minute from the events of `stream`."""
    indicator = objective.indicator
    return stream_name(objective) == stream and indicator.rows == "events" and not indicator.fed_by_metric_source


def filter_keys(versions: Sequence[InForce], stream: str) -> list[str]:
    """The attribute columns the stream's objectives filter on.

    Raises:
        NotEligible: an objective of the stream needs event values (threshold, statistic) or raw
            rows (freshness), which counting by attributes cannot give.
    """
    keys: set[str] = set()
    for version in versions:
        for objective in version.agreement.objectives:
            if stream_name(objective) != stream or objective.indicator.rows != "events":
                continue
            indicator = objective.indicator
            if isinstance(indicator, RatioIndicator):
                selectors = [indicator.valid, indicator.good, indicator.bad]
            elif isinstance(indicator, AvailabilityIndicator):
                selectors = [Selector(where=indicator.where), indicator.up]
            else:
                raise NotEligible(f"objective {objective.name!r} is a {indicator.kind} indicator, which needs values")
            for selector in selectors:
                if selector is not None:
                    keys |= set(selector.where) | set(selector.where_not)
    return sorted(keys)


def eligible(path: Path, versions: Sequence[InForce], stream: str) -> list[str]:
    """The filter columns, after checking that the fast path applies to this file and stream.

    Raises:
        NotEligible: with the reason (not Parquet, timestamp type, nulls, objectives, versions).
    """
    if path.suffix.lower() != ".parquet":
        raise NotEligible("only Parquet files are counted in one pass")
    keys = filter_keys(versions, stream)
    metadata = pq.read_metadata(path)
    schema = metadata.schema.to_arrow_schema()
    if TIMESTAMP not in schema.names:
        raise NotEligible("no timestamp column")
    kind = schema.field(TIMESTAMP).type
    if not pa.types.is_timestamp(kind) or kind.tz is None:
        raise NotEligible(f"timestamp is {kind}, not a timestamp with a time zone")
    column = schema.names.index(TIMESTAMP)
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(column).statistics
        if stats is None or not stats.has_null_count or stats.null_count:
            raise NotEligible("the timestamp column may hold nulls")
    for version in versions:
        if version.start % US_PER_MINUTE:
            raise NotEligible("a version starts within a minute")
    return [k for k in keys if k in schema.names] + [k for k in keys if k not in schema.names]
