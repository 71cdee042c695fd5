#!/usr/bin/env bash
# Makes wordpress-6.1-wpdiscuz.sql (the database) and wordpress-6.1-wpdiscuz.xml (WordPress's own
# export of the same site) with the real WordPress: Debian's `wordpress` package on MariaDB, its own
# installer and insert functions (make_wordpress_db.php), then mysqldump. The dump holds WordPress's
# own CREATE TABLEs (wp-admin/includes/schema.php) and wpDiscuz's four tables.
# Needs: apt-get install wordpress php-cli php-mysql php-gd mariadb-server, with MariaDB on
# 127.0.0.1:3306 taking root without a password.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
db=masthead_wp_db_fixture
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -f /etc/wordpress/config-masthead-wp-db-fixture.php' EXIT

mysql -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4;"
mkdir -p "$work/wp-content/uploads"
cat > /etc/wordpress/config-masthead-wp-db-fixture.php <<PHPCONF
<?php
define('DB_NAME', '$db');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1');
define('WP_CONTENT_DIR', '$work/wp-content');
define('WP_HOME', 'https://news.example.org');
define('WP_SITEURL', 'https://news.example.org');
PHPCONF
WORDPRESS_CONFIG=masthead-wp-db-fixture php "$here/make_wordpress_db.php" > "$here/wordpress-6.1-wpdiscuz.xml"
tables="wp_users wp_usermeta wp_posts wp_postmeta wp_comments wp_commentmeta wp_terms wp_term_taxonomy wp_term_relationships wp_wc_users_voted wp_wc_comments_subscription wp_wc_follow_users wp_wc_feedback_forms"
{
  echo "-- A small WordPress 6.1 + wpDiscuz site, written by make_wordpress_db.sh (do not edit by hand)."
  mysqldump -h 127.0.0.1 -uroot --skip-dump-date --skip-comments --compact --no-tablespaces "$db" $tables
  # The options a reader needs (site address, permalinks, sticky posts), not the whole table.
  mysqldump -h 127.0.0.1 -uroot --skip-dump-date --skip-comments --compact --no-tablespaces "$db" wp_options \
    --where="option_name IN ('siteurl','home','blogname','permalink_structure','sticky_posts','timezone_string','gmt_offset','db_version')"
} | sed 's/ AUTO_INCREMENT=[0-9]*//' > "$here/wordpress-6.1-wpdiscuz.sql"
mysql -h 127.0.0.1 -uroot -e "DROP DATABASE $db;"
echo "wrote $here/wordpress-6.1-wpdiscuz.sql and .xml" >&2
