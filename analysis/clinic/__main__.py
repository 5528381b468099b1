"""`python -m analysis.clinic ...`: the clinic importer's command line (see `cli`)."""

import sys

from analysis.clinic.cli import main

sys.exit(main())
