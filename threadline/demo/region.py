"""Generate the whole region into a folder: every force's export files and the truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from threadline.demo.exports import FILE_KINDS
from threadline.demo.groups import MIN_GROUP, organised_crime_group
from threadline.demo.households import household
from threadline.demo.world import TRUTH_FILE, Plan, Progress, World
from threadline.reference import geography

__all__ = ["Generated", "generate_region"]


@dataclass(slots=True)
class Generated:
    """What `generate_region` wrote."""

    directory: Path
    plan: Plan
    identities: int = 0
    duplicated: int = 0  # identities recorded by more than one force
    duplicate_records: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # force -> kind -> rows

    def force_files(self, force: str) -> list[Path]:
        """One force's files in the order they must be imported (links last)."""
        return [self.directory / force / f"{kind}.csv" for kind in FILE_KINDS]

    def files(self) -> list[Path]:
        """Every file written: force by force in import order, then the ground truth."""
        paths = [path for code in self.counts for path in self.force_files(code)]
        return [*paths, self.directory / TRUTH_FILE]


def generate_region(
    *, seed: int, people: int, directory: Path, progress: Progress | None = None
) -> Generated:
    """Write every force's export files and the ground truth into `directory`.

    Forces are generated in turn, each from its own generator seeded by `seed` and the
    force code. A force's organised crime groups are spread evenly through its
    households, with room kept back so that every planned group is made and the region
    holds exactly `people` identities.
    """
    world = World(seed=seed, people=people, directory=directory)
    plan = world.plan
    step = max(1000, people // 200)
    reported = 0
    try:
        for force in geography.FORCES:
            rng = random.Random(f"{seed}:{force.code}")
            target = plan.people[force.code]
            ocgs = plan.ocgs[force.code]
            lines = plan.lines[force.code]
            runs = [0] * ocgs
            for j in range(lines):
                runs[(j * ocgs) // lines] += 1
            due = [((i + 1) * target) // (ocgs + 1) for i in range(ocgs)]
            done = made = 0
            while done < target:
                pending = ocgs - made
                room = target - done - MIN_GROUP * pending
                if pending and (done >= due[made] or room <= 0):
                    budget = target - done - MIN_GROUP * (pending - 1)
                    done += organised_crime_group(world, force, rng, runs[made], budget)
                    made += 1
                else:
                    done += household(world, force, rng, room)
                if progress is not None and world.identities - reported >= step:
                    reported = world.identities
                    progress("generate", world.identities, people)
    finally:
        world.close()
    if progress is not None:
        progress("generate", world.identities, people)
    return Generated(
        directory=directory,
        plan=plan,
        identities=world.identities,
        duplicated=world.duplicated,
        duplicate_records=world.duplicate_records,
        counts={code: dict(export.counts) for code, export in world.exports.items()},
    )
