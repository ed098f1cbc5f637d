#!/usr/bin/env python3
"""Winners of a pabulib `.pb` file under one of Pnyx's outcome rules, computed by pabutools.

Usage: outcomes.py FILE.pb RULE    (RULE: greedy | equal_shares_plain | equal_shares_greedy)

Prints one JSON object: {"rule": ..., "selection_order": [project ids...], "cpu_s": ...}.
The mapping is the one `tests/data/pb-instances/reference-outcomes.json` states in its `about`:
exact (gmpy2) arithmetic, pabutools' default lexicographic tie-breaking, no vote threshold;
approval, choose-1 and ordinal ballots are read as approvals (Cost_Sat), cumulative ballots by
their points (Additive_Cardinal_Sat). `equal_shares` (completion by per-voter budget increments,
as equalshares.net) is not offered: pabutools takes minutes on it for all but tiny files.
"""

import json
import sys
import time

from pabutools.election import (
    AbstractApprovalProfile,
    AbstractCumulativeProfile,
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

RULES = ("greedy", "equal_shares_plain", "equal_shares_greedy")


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[2] not in RULES:
        print(__doc__, file=sys.stderr)
        return 2
    path, rule = sys.argv[1], sys.argv[2]
    instance, profile = parse_pabulib(path)
    if isinstance(profile, AbstractCumulativeProfile):
        sat = Additive_Cardinal_Sat
    else:
        sat = Cost_Sat
        if not isinstance(profile, AbstractApprovalProfile):
            # Ordinal ballots: the approval view (every ranked project approved), as Pnyx counts
            # rankings with equal scores.
            profile = ApprovalProfile([ApprovalBallot(b) for b in profile], instance=instance)
    start = time.process_time()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    else:
        outcome = method_of_equal_shares(instance, profile, sat_class=sat)
        if rule == "equal_shares_greedy":
            outcome = greedy_utilitarian_welfare(
                instance, profile, sat_class=sat, initial_budget_allocation=outcome
            )
    cpu = time.process_time() - start
    order = [p.name for p in outcome]
    print(json.dumps({"rule": rule, "selection_order": order, "cpu_s": round(cpu, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
