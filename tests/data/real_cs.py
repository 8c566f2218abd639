"""Where the real CryoSPARC sample files are: ``shared/data/real_cs`` beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

REAL_CS_DIR = Path(
    os.environ.get(
        "CRYOWEAVE_REAL_CS_DIR", Path(__file__).parents[3] / "shared" / "data" / "real_cs"
    )
)
REAL_FILES = [
    "cryodrgn__cryosparc_P12_J24_001_particles.cs",
    "cryodrgn__empiar_10076_7.cs",
    "cryosparc-tools__4k_dataset.cs",
]
