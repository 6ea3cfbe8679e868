"""Matching benchmark: `python -m benchmarks.match` (the `make bench-match` target).

For each region set, the ASP list and the Marché de l'inclusion are matched with SIRETs
hidden; the SIRETs are the ground truth. Prints pairwise precision/recall/F1 and B-cubed F1
for the matcher and for a baseline (exact folded name + postcode) measured in the same run,
the number of indistinguishable pairs left out, the speed, a 100 000-record scale test, and
the remaining errors side by side.
"""

import argparse
import time

import polars as pl

from benchmarks.lists import REGIONS, load_region
from benchmarks.metrics import Scores, score
from ess_assets.match import keys, match_records

SHOWN = ("nom", "enseigne", "adresse", "code_postal", "commune", "type_structure", "truth")


def baseline(records: pl.DataFrame) -> pl.DataFrame:
    """Clusters by exact folded name and postcode."""
    folded = [keys.fold(n) for n in records["nom"].to_list()]
    return records.select("record_id").with_columns(
        cluster_key=pl.Series(folded) + "|" + records["code_postal"].fill_null("")
    )


def scaled(records: pl.DataFrame, size: int) -> pl.DataFrame:
    """`size` records made of copies of `records`, each copy's names and streets suffixed so
    that copies never match each other and blocks keep their real size."""
    copies = []
    for k in range(size // records.height + 1):
        suffix = f" V{k:04d}"
        copies.append(
            records.with_columns(
                record_id=pl.col("record_id") + suffix,
                nom=pl.col("nom") + suffix,
                adresse=pl.col("adresse") + suffix,
                enseigne=pl.col("enseigne") + suffix,
            )
        )
    return pl.concat(copies).head(size)


def _line(label: str, s: Scores) -> str:
    return (
        f"  {label:<9} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}"
        f"  B-cubed F1 {s.bcubed_f1:.4f}"
    )


def _side_by_side(records: pl.DataFrame, pairs, links: pl.DataFrame, limit: int) -> None:
    rows = {r["record_id"]: r for r in records.iter_rows(named=True)}
    link = {(r[0], r[1]): r for r in links.iter_rows()}
    for left, right in pairs[:limit]:
        info = link.get((left, right)) or link.get((right, left))
        print(f"    {left} ~ {right}   link: {info[2:] if info else 'not compared'}")
        for column in SHOWN:
            print(f"      {column:<15}| {str(rows[left][column])[:40]:<40} | {rows[right][column]}")


def run_region(region: str, show: int) -> None:
    records = load_region(region)
    start = time.perf_counter()
    result = match_records(records, use_siret=False)
    elapsed = time.perf_counter() - start
    ours, base = score(records, result.clusters), score(records, baseline(records))
    print(f"\n== {region}: {records.height} records ({records['truth'].n_unique()} SIRETs)")
    print(_line("matcher", ours))
    print(_line("baseline", base))
    print(
        f"  indistinguishable pairs left out (equal on every field both fill, other SIRET): "
        f"{ours.excluded}"
    )
    print(f"  speed: {records.height / elapsed:,.0f} records/s ({elapsed:.2f} s)")
    print(f"  false merges: {len(ours.false_merges)}, misses: {len(ours.misses)}")
    print("  -- false merges")
    _side_by_side(records, ours.false_merges, result.links, show)
    print("  -- misses")
    _side_by_side(records, ours.misses, result.links, show)


def run_scale(size: int) -> None:
    records = pl.concat(
        [
            load_region(region).with_columns(record_id=pl.lit(f"{region}/") + pl.col("record_id"))
            for region in REGIONS
        ]
    )
    big = scaled(records, size)
    start = time.perf_counter()
    result = match_records(big, use_siret=False)
    elapsed = time.perf_counter() - start
    print(
        f"\n== scale: {big.height:,} records in {elapsed:.1f} s "
        f"({big.height / elapsed:,.0f} records/s), "
        f"{result.clusters['cluster_key'].n_unique():,} clusters, {result.links.height:,} links"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", choices=sorted(REGIONS), action="append")
    parser.add_argument("--show", type=int, default=30, help="errors listed per kind")
    parser.add_argument("--scale", type=int, default=100_000, help="records in the scale test")
    args = parser.parse_args()
    for region in args.region or REGIONS:
        run_region(region, args.show)
    if args.scale:
        run_scale(args.scale)


if __name__ == "__main__":
    main()
