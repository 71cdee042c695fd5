<?php
// Builds the small newsroom of ../wordpress/data/make_wordpress_export.php in a fresh WordPress,
// adds what only a database holds (spam, wpDiscuz's own tables: per-voter votes, subscriptions,
// follows, inline feedback forms and their answers), and prints WordPress's own WXR export of
// the same site, so a test can compare the two imports. Run through make_wordpress_db.sh.

$masthead_site_only = true;
require __DIR__ . '/../wordpress/data/make_wordpress_export.php'; // the site, without its export
ob_start();
global $wpdb;

// wpDiscuz's tables, as its installer makes them (column names and types from wpDiscuz 7).
$p = $wpdb->prefix;
$charset = $wpdb->get_charset_collate();
$tables = [
    "CREATE TABLE {$p}wc_users_voted (id int(11) NOT NULL AUTO_INCREMENT, user_id varchar(32) NOT NULL, comment_id int(11) NOT NULL, vote_type int(11) DEFAULT NULL, is_guest tinyint(1) DEFAULT 0, post_id bigint(20) unsigned NOT NULL DEFAULT 0, date int(11) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (id), KEY user_id (user_id), KEY comment_id (comment_id), KEY post_id (post_id)) $charset",
    "CREATE TABLE {$p}wc_comments_subscription (id int(11) NOT NULL AUTO_INCREMENT, email varchar(100) NOT NULL, subscribtion_id int(11) NOT NULL, post_id int(11) NOT NULL, subscribtion_type varchar(20) NOT NULL, activation_key varchar(32) NOT NULL, confirm tinyint(4) DEFAULT 0, subscription_date timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, imported_from varchar(25) NOT NULL DEFAULT '', PRIMARY KEY (id), UNIQUE KEY subscribe_unique_index (subscribtion_id, email, post_id), KEY subscribtion_id (subscribtion_id), KEY post_id (post_id), KEY confirm (confirm)) $charset",
    "CREATE TABLE {$p}wc_follow_users (id int(11) NOT NULL AUTO_INCREMENT, post_id int(11) NOT NULL DEFAULT 0, user_id int(11) NOT NULL DEFAULT 0, user_email varchar(100) NOT NULL, user_name varchar(255) NOT NULL, follower_id int(11) NOT NULL DEFAULT 0, follower_email varchar(100) NOT NULL, follower_name varchar(255) NOT NULL, activation_key varchar(32) NOT NULL, confirm tinyint(1) NOT NULL DEFAULT 0, follow_timestamp int(11) NOT NULL, follow_date timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id), UNIQUE KEY follow_unique_key (user_email, follower_email), KEY post_id (post_id), KEY follower_email (follower_email)) $charset",
    "CREATE TABLE {$p}wc_feedback_forms (id int(11) NOT NULL AUTO_INCREMENT, post_id int(11) NOT NULL DEFAULT 0, unique_id varchar(15) NOT NULL, question varchar(255) NOT NULL, opened tinyint(4) unsigned NOT NULL DEFAULT 0, content longtext NOT NULL, PRIMARY KEY (id), UNIQUE KEY unique_id (unique_id), KEY post_id (post_id)) $charset",
];
foreach ($tables as $sql) {
    must($wpdb->query($sql) !== false);
}

// A post with two inline feedback questions: wpDiscuz wraps the passage in its shortcode and keeps
// the form in its table. The second passage was edited away after the form was made.
$harbour = must(wp_insert_post([
    'post_title' => 'New ferry times from June',
    'post_name' => 'new-ferry-times',
    'post_content' => "<!-- wp:paragraph -->\n<p>From June, [wpdiscuz-feedback id=\"q7m2x9k4a1\" question=\"Does the later ferry work for you?\" opened=\"0\"]the first ferry leaves at 7:40 instead of 7:10[/wpdiscuz-feedback], the harbour office says.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>The last boat back stays at 22:00.</p>\n<!-- /wp:paragraph -->",
    'post_status' => 'publish',
    'post_author' => $tom,
    'post_date' => '2024-05-20 09:00:00',
    'post_category' => [$local],
]));
$wpdb->insert("{$p}wc_feedback_forms", ['post_id' => $harbour, 'unique_id' => 'q7m2x9k4a1', 'question' => 'Does the later ferry work for you?', 'opened' => 0, 'content' => 'the first ferry leaves at 7:40 instead of 7:10']);
$form = $wpdb->insert_id;
$wpdb->insert("{$p}wc_feedback_forms", ['post_id' => $harbour, 'unique_id' => 'z0p4c8d2e6', 'question' => 'Was the night boat useful?', 'opened' => 1, 'content' => 'a night boat at 01:00 on Saturdays']);
$answer = comment($harbour, 0, 'Commuter', 'commuter@example.org', 'No: I start work at 8 on the island.', '2024-05-20 10:00:00');
add_comment_meta($answer, 'wpdiscuz_feedback_form_id', $form);
$reply = comment($harbour, $answer, 'Marta Ruiz', 'marta@example.com', 'Same here, the school too.', '2024-05-20 11:00:00');
$closed = comment($harbour, 0, 'Rania Haddad', 'rania@news.example.org', 'We asked the harbour office; answers below, no debate here please.', '2024-05-20 12:00:00', ['user_id' => $rania]);
add_comment_meta($closed, 'wpdiscuz_closed', '1');
// Spam stays in the database (a WXR export leaves it out).
$spam2 = comment($harbour, 0, 'Pills', 'pills@spam.example', 'Cheap pills http://spam.example/p', '2024-05-20 13:00:00', ['comment_approved' => 'spam']);

// Per-voter votes: registered readers by user id, guests by wpDiscuz's hash of their address. One
// guest's vote was stored twice (a double click): Masthead keeps one vote per reader.
$when = strtotime('2024-04-13 12:00:00 UTC');
$votes = [
    [$c1, (string) $lea, 1, 0], [$c1, (string) $tom, 1, 0], [$c1, md5('198.51.100.20'), 1, 1],
    [$c1, md5('198.51.100.21'), -1, 1], [$c1, md5('198.51.100.21'), -1, 1],
    [$c2, (string) $rania, 1, 0], [$c2, md5('198.51.100.22'), 1, 1],
    [$c4, md5('198.51.100.20'), -1, 1],
    [$answer, (string) $lea, 1, 0],
];
foreach ($votes as [$comment_id, $voter, $type, $guest]) {
    $wpdb->insert("{$p}wc_users_voted", ['user_id' => $voter, 'comment_id' => $comment_id, 'vote_type' => $type, 'is_guest' => $guest, 'post_id' => get_comment($comment_id)->comment_post_ID, 'date' => $when]);
}
update_comment_meta($answer, 'wpdiscuz_votes_seperate', ['like' => 1, 'dislike' => 0]);
update_comment_meta($answer, 'wpdiscuz_votes', 1);

// Subscriptions: to the post (every new comment), to replies to all of one's comments on a post,
// to one comment's replies; confirmed (double opt-in done) or not.
$subscriptions = [
    ['marta@example.com', $budget, $budget, 'post', 1, '2024-04-13 08:00:05'],
    ['new@example.org', $budget, $budget, 'post', 0, '2024-04-14 07:00:05'],
    ['lea@example.net', $budget, $budget, 'all_comment', 1, '2024-04-13 09:10:05'],
    ['jonas@example.org', $c3, $budget, 'comment', 1, '2024-04-13 11:30:05'],
    ['pier@example.org', $c1, $budget, 'comment', 0, '2024-04-15 09:00:00'],
    ['commuter@example.org', $harbour, $harbour, 'post', 1, '2024-05-20 10:00:05'],
];
foreach ($subscriptions as [$email, $target, $post, $type, $confirm, $date]) {
    $wpdb->insert("{$p}wc_comments_subscription", ['email' => $email, 'subscribtion_id' => $target, 'post_id' => $post, 'subscribtion_type' => $type, 'activation_key' => md5($email . $target), 'confirm' => $confirm, 'subscription_date' => $date]);
}

// A reader following another reader (wpDiscuz's "follow" button).
$wpdb->insert("{$p}wc_follow_users", ['post_id' => $budget, 'user_id' => $lea, 'user_email' => 'lea@example.net', 'user_name' => 'Lea Schmidt', 'follower_id' => 0, 'follower_email' => 'jonas@example.org', 'follower_name' => 'Jonas', 'activation_key' => md5('jonas-lea'), 'confirm' => 1, 'follow_timestamp' => $when, 'follow_date' => '2024-04-13 12:00:00']);

ob_end_clean();
ob_start();
export_wp(['content' => 'all']);
$xml = ob_get_clean();
echo $xml;
