"""Law-enforcement referral packages: what was reported, found, hosted and asked, with its audit trail."""
