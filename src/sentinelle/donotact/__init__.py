"""The do-not-act list: hashes, URLs and hosts on which sentinelle never acts. It always wins."""
