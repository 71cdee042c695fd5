#!/usr/bin/env bash
# Makes wordpress-6.1-masthead.xml (and uploads/) with the real WordPress: Debian's `wordpress`
# package on MariaDB, its own installer, its own insert functions and its own export code
# (export_wp(), what Tools -> Export runs). Needs: apt-get install wordpress php-cli php-mysql
# php-gd mariadb-server, with MariaDB on 127.0.0.1:3306 taking root without a password.
# Re-running recreates the database from scratch, so the export changes only in its timestamps.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
db=masthead_wxr_fixture
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mysql -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4;"
mkdir -p "$work/wp-content/uploads"
cat > /etc/wordpress/config-masthead-wxr-fixture.php <<PHP
<?php
define('DB_NAME', '$db');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1');
define('WP_CONTENT_DIR', '$work/wp-content');
define('WP_HOME', 'https://news.example.org');
define('WP_SITEURL', 'https://news.example.org');
PHP
WORDPRESS_CONFIG=masthead-wxr-fixture php "$here/make_wordpress_export.php" > "$here/wordpress-6.1-masthead.xml"
rm -rf "$here/uploads"
cp -r "$work/wp-content/uploads" "$here/uploads"
rm /etc/wordpress/config-masthead-wxr-fixture.php
mysql -h 127.0.0.1 -uroot -e "DROP DATABASE $db;"
echo "wrote $here/wordpress-6.1-masthead.xml" >&2
