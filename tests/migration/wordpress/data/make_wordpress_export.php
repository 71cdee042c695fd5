<?php
// Builds a small newsroom in a fresh WordPress and prints WordPress's own WXR export of it.
// Run through make_wordpress_export.sh (it sets up the database and the config this reads).
// Everything is written through WordPress's API (wp_insert_post, wp_insert_comment, ...) so the
// rows look as WordPress writes them; the wpDiscuz rows are written the way wpDiscuz stores them.

define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = 'news.example.org';
$_SERVER['REQUEST_URI'] = '/';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

ob_start(); // the installer talks; the export must be the only output
wp_install('Harbour Town News', 'admin', 'admin@news.example.org', true, '', 'not-a-real-password');
update_option('timezone_string', 'Europe/Berlin');
update_option('gmt_offset', '');
update_option('default_comments_page', 'oldest');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
wp_set_current_user(1); // an administrator keeps iframes (unfiltered_html), as in a real newsroom

function must($value) {
    if (is_wp_error($value) || !$value) {
        fwrite(STDERR, "failed: " . print_r($value, true) . "\n");
        exit(1);
    }
    return $value;
}

$rania = must(wp_insert_user(['user_login' => 'rhaddad', 'user_pass' => 'x-not-used-1', 'user_email' => 'rania@news.example.org', 'display_name' => 'Rania Haddad', 'first_name' => 'Rania', 'last_name' => 'Haddad', 'role' => 'editor']));
$tom = must(wp_insert_user(['user_login' => 'tberg', 'user_pass' => 'x-not-used-2', 'user_email' => 'tom@news.example.org', 'display_name' => 'Tom Berg', 'role' => 'author']));
$lea = must(wp_insert_user(['user_login' => 'lea', 'user_pass' => 'x-not-used-3', 'user_email' => 'lea@example.net', 'display_name' => 'Lea Schmidt', 'user_url' => 'https://lea.example.net', 'role' => 'subscriber']));

$politics = must(wp_insert_term('Politics', 'category', ['slug' => 'politics']))['term_id'];
$local = must(wp_insert_term('Local', 'category', ['slug' => 'local']))['term_id'];
$climate = must(wp_insert_term('Climate & Coast', 'category', ['slug' => 'climate']))['term_id'];

// A featured image, drawn here, stored in uploads/ as WordPress's media library does.
$uploads = wp_upload_dir('2024/04');
$image_path = $uploads['path'] . '/harbour-council.png';
$img = imagecreatetruecolor(120, 80);
imagefill($img, 0, 0, imagecolorallocate($img, 20, 90, 140));
imagefilledrectangle($img, 10, 50, 110, 70, imagecolorallocate($img, 240, 200, 60));
imagepng($img, $image_path);
$image_id = must(wp_insert_attachment([
    'post_title' => 'Harbour council chamber',
    'post_excerpt' => 'The council chamber on budget night.',
    'post_mime_type' => 'image/png',
    'post_status' => 'inherit',
    'post_date' => '2024-04-12 09:30:00',
], $image_path));
wp_update_attachment_metadata($image_id, wp_generate_attachment_metadata($image_id, $image_path));
update_post_meta($image_id, '_wp_attachment_image_alt', 'Councillors around a long table');
$image_url = wp_get_attachment_url($image_id);

$gutenberg = <<<HTML
<!-- wp:paragraph -->
<p>The harbour council passed next year's <strong>budget</strong> on Thursday night, after <a href="https://news.example.org/2024/03/01/budget-preview/">a month of hearings</a>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">What changes for schools</h2>
<!-- /wp:heading -->

<!-- wp:paragraph -->
<p>Two new classrooms and a later start for the ferry to the island school.</p>
<!-- /wp:paragraph -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>We kept the ferry running, and that was the hard part.</p>
<!-- /wp:paragraph --><cite>Mayor Ines Vidal</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Schools: +4%</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Harbour works: +11%</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:image {"id":$image_id,"sizeSlug":"full","linkDestination":"none"} -->
<figure class="wp-block-image size-full"><img src="$image_url" alt="Councillors around a long table" class="wp-image-$image_id"/><figcaption class="wp-element-caption">Budget night in the chamber.</figcaption></figure>
<!-- /wp:image -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption class="wp-element-caption">The full session.</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:embed {"url":"https://twitter.com/harbourtown/status/1","type":"rich","providerNameSlug":"twitter"} -->
<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper">
https://twitter.com/harbourtown/status/1
</div></figure>
<!-- /wp:embed -->
HTML;

$budget = must(wp_insert_post([
    'post_title' => 'Council passes the harbour budget',
    'post_name' => 'council-passes-harbour-budget',
    'post_content' => $gutenberg,
    'post_excerpt' => 'Schools and the island ferry win; the harbour works cost more than planned.',
    'post_status' => 'publish',
    'post_author' => $rania,
    'post_date' => '2024-04-12 23:30:00', // Berlin: 21:30 UTC, and the date path keeps the local day
    'post_category' => [$politics, $local],
    'tags_input' => ['budget', 'schools'],
    'comment_status' => 'open',
]));
set_post_thumbnail($budget, $image_id);
wp_update_post(['ID' => $image_id, 'post_parent' => $budget]);
stick_post($budget);

$classic = <<<HTML
The sea at the old pier rose 4 cm in ten years, the <em>coastal survey</em> says.

https://vimeo.com/76979871

<h3>Where the water comes in</h3>
<blockquote>The pier was built for a sea that no longer exists.</blockquote>
<ol>
<li>North pier</li>
<li>Fish market</li>
</ol>
<p>Read the <a href="https://example.org/survey.pdf" onclick="steal()">survey</a>.<script>alert('x')</script></p>
<iframe width="560" height="315" src="https://www.youtube.com/embed/aqz-KE-bpKQ" frameborder="0" allowfullscreen></iframe>
HTML;

$sea = must(wp_insert_post([
    'post_title' => 'The sea at the old pier',
    'post_name' => 'sea-at-the-old-pier',
    'post_content' => $classic,
    'post_status' => 'publish',
    'post_author' => $tom,
    'post_date' => '2024-05-02 08:15:00',
    'post_category' => [$climate],
    'tags_input' => ['sea level'],
    'comment_status' => 'closed',
]));

$ferry = must(wp_insert_post([
    'post_title' => 'Ferry timetable: your questions',
    'post_name' => 'ferry-questions',
    'post_content' => "<!-- wp:paragraph -->\n<p>Ask us anything about the new timetable.</p>\n<!-- /wp:paragraph -->",
    'post_status' => 'publish',
    'post_author' => $rania,
    'post_date' => '2024-05-10 12:00:00',
    'post_category' => [$local],
]));
update_post_meta($ferry, 'wpdiscuz_closed', '1');

must(wp_insert_post(['post_title' => 'School meals (draft)', 'post_name' => 'school-meals', 'post_content' => '<p>Not ready.</p>', 'post_status' => 'draft', 'post_author' => $tom, 'post_category' => [$local]]));
must(wp_insert_post(['post_title' => 'Election night live', 'post_name' => 'election-night-live', 'post_content' => '<p>Results as they come.</p>', 'post_status' => 'future', 'post_author' => $rania, 'post_date' => '2030-01-15 20:00:00', 'post_category' => [$politics]]));
must(wp_insert_post(['post_title' => 'Newsroom style notes', 'post_name' => 'style-notes', 'post_content' => '<p>For staff only.</p>', 'post_status' => 'private', 'post_author' => 1, 'post_date' => '2024-02-01 09:00:00']));
must(wp_insert_post(['post_title' => 'About us', 'post_name' => 'about', 'post_type' => 'page', 'post_content' => '<p>We report on the harbour.</p>', 'post_status' => 'publish', 'post_author' => 1]));

$old = must(wp_insert_post(['post_title' => 'Retracted story', 'post_name' => 'retracted-story', 'post_content' => '<p>Gone.</p>', 'post_status' => 'publish', 'post_author' => $tom, 'post_date' => '2024-03-03 10:00:00', 'post_category' => [$local]]));

function comment($post, $parent, $name, $email, $text, $date, $extra = []) {
    return must(wp_insert_comment(array_merge([
        'comment_post_ID' => $post,
        'comment_parent' => $parent,
        'comment_author' => $name,
        'comment_author_email' => $email,
        'comment_author_url' => '',
        'comment_author_IP' => '203.0.113.' . (7 + $parent % 50),
        'comment_content' => $text,
        'comment_date' => $date,
        'comment_approved' => 1,
        'comment_agent' => 'Mozilla/5.0',
    ], $extra)));
}

// A thread four levels deep, with the statuses a real moderation queue leaves behind.
$c1 = comment($budget, 0, 'Marta Ruiz', 'marta@example.com', 'Finally the ferry is safe. Thank you for the clear summary.', '2024-04-13 08:00:00', ['comment_author_url' => 'https://marta.example.com']);
$c2 = comment($budget, $c1, 'Lea Schmidt', 'lea@example.net', "Safe for one year. Read page 14 of the budget.\n\nThe money runs out in 2026.", '2024-04-13 09:10:00', ['user_id' => $lea]);
$c3 = comment($budget, $c2, 'Marta Ruiz', 'marta@example.com', 'Fair point &mdash; but one year is more than we had.', '2024-04-13 10:20:00');
$c4 = comment($budget, $c3, 'Jonas', 'jonas@example.org', 'Both true. <em>Page 14</em> is grim.', '2024-04-13 11:30:00');
$pending = comment($budget, $c1, 'New Reader', 'new@example.org', 'Is the island school getting a teacher too?', '2024-04-14 07:00:00', ['comment_approved' => 0]);
$spam = comment($budget, 0, 'Cheap Watches', 'spam@spam.example', 'Buy watches at http://spam.example', '2024-04-14 03:00:00', ['comment_approved' => 'spam']);
$trashed = comment($budget, 0, 'Angry Person', 'angry@example.org', 'Something rude.', '2024-04-14 05:00:00', ['comment_approved' => 1]);
wp_trash_comment($trashed);
$ping = comment($budget, 0, 'Harbour Blog &raquo; Budget notes', '', '[&#8230;] the council passed the budget [&#8230;]', '2024-04-15 12:00:00', ['comment_type' => 'pingback', 'comment_author_url' => 'https://harbour-blog.example/budget-notes/', 'comment_author_IP' => '198.51.100.4']);
$sticky = comment($budget, 0, 'Rania Haddad', 'rania@news.example.org', 'Editor here: we will follow the ferry money all year.', '2024-04-13 07:30:00', ['user_id' => $rania, 'comment_type' => 'wpdiscuz_sticky']);
// wpDiscuz keeps votes as comment meta: the separate counts serialised, and their sum.
update_comment_meta($c1, 'wpdiscuz_votes_seperate', ['like' => 7, 'dislike' => 2]);
update_comment_meta($c1, 'wpdiscuz_votes', 5);
update_comment_meta($c2, 'wpdiscuz_votes_seperate', ['like' => 3, 'dislike' => 0]);
update_comment_meta($c2, 'wpdiscuz_votes', 3);
update_comment_meta($c4, 'wpdiscuz_votes', -1); // an older wpDiscuz: the sum only

comment($sea, 0, 'Pier Watcher', 'pier@example.org', 'I have photos of the pier from 1990 if you want them.', '2024-05-02 18:00:00');
comment($ferry, 0, 'Commuter', 'commuter@example.org', 'Will the 7:10 stay?', '2024-05-10 13:00:00');

comment($old, 0, 'Reader', 'reader@example.org', 'This was wrong.', '2024-03-03 12:00:00');
wp_trash_post($old); // its comments become post-trashed

ob_end_clean();
if (!empty($masthead_site_only)) {
    return; // make_wordpress_db.php builds on this site and exports it itself
}
ob_start();
export_wp(['content' => 'all']);
$xml = ob_get_clean();
echo $xml;
