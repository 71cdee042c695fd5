#!/usr/bin/env bash
# Makes sure what the test suite needs is on this machine and running:
# Debian's chromium, a PostgreSQL server on 127.0.0.1:5432 with a `test` database, Redis on 6379,
# and MariaDB on 3306 where the machine has it.
# Installs Debian packages only when something is missing, so a prepared machine pays nothing.
set -uo pipefail

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-dejavu-core)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
# tests/deploy: deploy/nginx/masthead.conf is started in front of two Masthead processes.
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
# makemessages (make messages, and the catalog test) runs xgettext/msgmerge.
command -v xgettext >/dev/null 2>&1 || need_apt+=(gettext)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! pg_up; then
  echo "Starting PostgreSQL"
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if pg_up; then
  # The suite connects as postgres/postgres over TCP; on a machine with trust auth the password is ignored.
  as_root su postgres -c "psql -qtAc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test" >/dev/null 2>&1 || true
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2
  exit 1
fi

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if ! redis_up; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/masthead-redis.log
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
fi
redis_up || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }

# MariaDB for `masthead import wordpress --db` (its tests skip, saying why, when there is none).
mariadb_up() { (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; }
if ! mariadb_up && [ -x /usr/sbin/mariadbd ]; then
  echo "Starting MariaDB"
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  for _ in $(seq 1 30); do mariadb_up && break; sleep 1; done
fi
mariadb_up || echo "MariaDB is not reachable on 127.0.0.1:3306: the WordPress --db tests will be skipped" >&2
echo "services: chromium, postgresql, redis ready"
