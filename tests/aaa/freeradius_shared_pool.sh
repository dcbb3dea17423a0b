#!/usr/bin/env bash
# Address space shared by several gateways through RADIUS (issue 12's scale-out): FreeRADIUS's
# sqlippool module on SQLite hands out Framed-IP-Address from one pool, so that two
# gateways asking the same server never give the same address. A set-up hook for
# freeradius_start (tests/aaa/freeradius.sh):
#
#   source tests/aaa/freeradius.sh tests/aaa/freeradius_shared_pool.sh
#   FREERADIUS_POOL="10.99.8.10 16" FREERADIUS_SETUP=freeradius_shared_pool freeradius_start DIR PORT SECRET
#
# Every accepted user gets control:Pool-Name "shared" (alice keeps her fixed address); a
# lease is keyed on NAS-Identifier and NAS-Port (the gateway's name and its IKE SA id:
# the ids of two gateways overlap, their names do not) and freed by Accounting-Stop.

# freeradius_shared_pool RADDB DIR: rewrites the copied configuration (before the start).
freeradius_shared_pool() {
  local raddb=$1 dir=$2 first count db=$2/ippool.db
  read -r first count <<<"${FREERADIUS_POOL:-10.99.8.10 16}"
  command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed" >&2; return 1; }
  # The pool: one row per address, all free.
  rm -f "$db"
  sqlite3 "$db" < "$raddb/mods-config/sql/ippool/sqlite/schema.sql" || return 1
  local base=${first%.*} last=${first##*.} i
  {
    echo "BEGIN;"
    for ((i = 0; i < count; i++)); do
      echo "INSERT INTO radippool (id, pool_name, framedipaddress, expiry_time) VALUES ($((i + 1)), 'shared', '$base.$((last + i))', datetime('now', '-1 second'));"
    done
    echo "COMMIT;"
  } | sqlite3 "$db" || return 1
  # The sql module only as sqlippool's connection to that file.
  sed -e 's/^\(\s*\)driver = .*/\1driver = "rlm_sql_sqlite"/' -e "s|^\(\s*\)filename = .*|\1filename = \"$db\"|" \
      -e 's/^\(\s*\)bootstrap = /\1#bootstrap = /' "$raddb/mods-available/sql" > "$raddb/mods-enabled/sql"
  sed -e 's/^\(\s*\)dialect = .*/\1dialect = "sqlite"/' -e 's/^\(\s*\)pool_key = .*/\1pool_key = "%{NAS-Identifier}:%{NAS-Port}"/' \
      "$raddb/mods-available/sqlippool" > "$raddb/mods-enabled/sqlippool"
  # Debian 12's FreeRADIUS 3.2.1 ships sqlite's allocate_find without the AND before
  # expiry_time (an SQL syntax error): a fixed copy of the queries.
  local queries=$raddb/mods-config/sql/ippool/sqlite/queries.conf
  sed -i "s/^\(\s*\)expiry_time < datetime('now') \\\\$/\1AND expiry_time < datetime('now') \\\\/" "$queries"
  grep -q "AND expiry_time < datetime('now')" "$queries" || { echo "sqlippool queries: fix not applied" >&2; return 1; }
  # The site: Pool-Name for everyone without a fixed address, sqlippool after an accept
  # and on accounting (Start/Interim keep the lease, Stop frees it).
  local site=$raddb/sites-enabled/ikev2d-test
  sed -i -e '/^\tauthorize {/a\		update control {\n			\&Pool-Name := "shared"\n		}' \
         -e '/^\tpost-auth {/a\		if (!\&reply:Framed-IP-Address) {\n			sqlippool\n		}' \
         -e '/^\t\tdetail$/a\		sqlippool' "$site"
}
