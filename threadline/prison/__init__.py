"""Prison monitoring and lifetime management of OCG members.

Custody episodes (`custody`), prison intelligence (`intel`), matching it against what
police hold (`matching`), alerts to LROs and prison intelligence officers, monitoring
plans with review clocks (`plans`), release planning (`release`), the dashboard and
figures (`dashboard`), and the `threadline tick` job (`job`).
"""
