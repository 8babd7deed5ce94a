"""The fleet's atomic steps: Lua scripts Redis runs whole, so two members never interleave.

Answers of :data:`CLAIM` for each media key: the shared result (JSON, starts with ``{``),
``!mine`` (the lease was free and is now this member's: it fetches) or ``!wait`` (someone
holds it, perhaps another fetch of this member: wait for the result).
"""

from __future__ import annotations

from typing import Final

MINE: Final = b"!mine"
WAIT: Final = b"!wait"

#: KEYS: the crawl's results hash, then one lease per media key.
#: ARGV: member, lease milliseconds, then the media keys (the hash's fields), in KEYS' order.
CLAIM: Final = """
local out = {}
for i = 2, #KEYS do
  local result = redis.call('HGET', KEYS[1], ARGV[i + 1])
  if result then
    out[#out + 1] = result
  else
    if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
      out[#out + 1] = '!mine'
    else
      out[#out + 1] = '!wait'
    end
  end
end
return out
"""

#: KEYS: the results hash, then the leases to let go. ARGV: member, result, then the fields.
#: The first result written for a key stays (a member that took over an expired lease and
#: the one that had it may both finish).
PUBLISH: Final = """
for i = 3, #ARGV do
  redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[2])
end
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
"""

#: KEYS: leases. ARGV: member, milliseconds. Extends the ones still held; returns how many
#: were lost (expired, perhaps taken over, while this member was stalled).
RENEW: Final = """
local lost = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  else
    lost = lost + 1
  end
end
return lost
"""

#: KEYS: leases. ARGV: member. Lets go of the ones still held (a member stopping).
RELEASE: Final = """
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
"""

#: KEYS: the page filter (a set), the crawl's page counts (a hash), the shared queue.
#: ARGV: fingerprint, host, --max-pages, --max-pages-per-host, the queued page, its score.
#: Answers ``ok`` (admitted, counted and queued), ``duplicate``, ``page-limit`` or
#: ``host-limit``; a page refused for a limit is not marked seen (as in one process).
ADMIT: Final = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'duplicate' end
local total = tonumber(redis.call('HGET', KEYS[2], '') or '0')
if total >= tonumber(ARGV[3]) then return 'page-limit' end
local here = tonumber(redis.call('HGET', KEYS[2], 'host:' .. ARGV[2]) or '0')
if here >= tonumber(ARGV[4]) then return 'host-limit' end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], '', 1)
redis.call('HINCRBY', KEYS[2], 'host:' .. ARGV[2], 1)
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[5])
return 'ok'
"""

#: KEYS: the shared page queue (a sorted set), this member's in-flight hash.
#: Takes the most urgent page and keeps it (request -> score) until this member is done.
TAKE: Final = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], item[1], item[2])
return item[1]
"""

#: KEYS: a member's in-flight hash, the shared queue, the members set, the member's
#: heartbeat. ARGV: the member. Unless the member is alive, its pages go back to the queue
#: and it leaves the set; answers how many pages, or -1 (alive).
REQUEUE: Final = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local items = redis.call('HGETALL', KEYS[1])
for i = 1, #items, 2 do
  redis.call('ZADD', KEYS[2], items[i + 1], items[i])
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[3], ARGV[1])
return #items / 2
"""
