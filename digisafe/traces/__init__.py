"""Traces of monitoring-software hosts a laptop keeps: browser history and downloads, the hosts
file, the DNS cache, open connections. Collectors here gather a snapshot, read-only and without
any network traffic; the checks (DS-BRW-040, DS-NET-020) judge it against the indicator database."""
