#!/usr/bin/env bash
# gatewarden's nightly run on a host, for cron (docs/nightly.md#cron):
#
#   17 2 * * *  gatewarden  /opt/gatewarden/examples/nightly/cron.sh >>/var/log/gatewarden-nightly.log 2>&1
#
# Scans each repository checked out under $GATEWARDEN_REPOS as a shard of one run, records the run in
# the history, and writes the report. Settings (environment):
#   GATEWARDEN_REPOS       directory holding one checkout per repository (default /srv/repos)
#   GATEWARDEN_HOME        where the history and the reports go (default /var/lib/gatewarden)
#   GATEWARDEN_NOTIFY_URL  a Slack or JSON webhook for new critical/high findings and SLA breaches (optional)
#   GATEWARDEN             the command to run (default gatewarden)
#   GATEWARDEN_RUN_ID      the run's id (default nightly- and the date and time, UTC)
set -euo pipefail

repos="${GATEWARDEN_REPOS:-/srv/repos}"
home="${GATEWARDEN_HOME:-/var/lib/gatewarden}"
gatewarden="${GATEWARDEN:-gatewarden}"
run_id="${GATEWARDEN_RUN_ID:-nightly-$(date -u +%Y-%m-%dT%H%M%S)}"
mkdir -p "$home/reports"

# Each repository from the same directory every night: the history knows a target by its path.
cd "$repos"
status=0
for repo in */; do
  repo="${repo%/}"
  # Exit 1 (findings) is what a nightly run is for; 2 (incomplete) is recorded too and reported as such.
  $gatewarden scan "$repo" --history "$home/history.db" --run-id "$run_id" --fail-on never --format "json:$home/reports/$repo.json" || status=$?
done

# ${VAR:+...} adds --notify only when a webhook is configured.
$gatewarden report --history "$home/history.db" --since 30d \
  --format "html:$home/reports/nightly.html" --format "markdown:$home/reports/nightly.md" --format "json:$home/reports/nightly.json" \
  ${GATEWARDEN_NOTIFY_URL:+--notify "$GATEWARDEN_NOTIFY_URL"}

# A shard that could not be scanned (exit 2) makes the job fail, so that cron mails someone.
exit "$status"
