"""What every headless-Chromium test shares: launch flags and where screenshots go."""

from tests.conftest import ROOT

SHOTS = ROOT / "artifacts" / "screenshots"  # git-ignored; people look at them after a run

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# For tests that play media without a user gesture.
AUTOPLAY_ARGS = [*LAUNCH_ARGS, "--autoplay-policy=no-user-gesture-required"]
