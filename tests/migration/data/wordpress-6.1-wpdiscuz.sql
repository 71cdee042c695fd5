-- A small WordPress 6.1 + wpDiscuz site, written by make_wordpress_db.sh (do not edit by hand).
/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_users` (
  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_login` varchar(60) NOT NULL DEFAULT '',
  `user_pass` varchar(255) NOT NULL DEFAULT '',
  `user_nicename` varchar(50) NOT NULL DEFAULT '',
  `user_email` varchar(100) NOT NULL DEFAULT '',
  `user_url` varchar(100) NOT NULL DEFAULT '',
  `user_registered` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `user_activation_key` varchar(255) NOT NULL DEFAULT '',
  `user_status` int(11) NOT NULL DEFAULT 0,
  `display_name` varchar(250) NOT NULL DEFAULT '',
  PRIMARY KEY (`ID`),
  KEY `user_login_key` (`user_login`),
  KEY `user_nicename` (`user_nicename`),
  KEY `user_email` (`user_email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_users` VALUES
(1,'admin','$P$Br6Cq2TQ5BoOtuqtsvmTMcyRyYXQUx.','admin','admin@news.example.org','https://news.example.org','2026-12-06 03:11:30','',0,'admin'),
(2,'rhaddad','$P$Br4DjMzPFV1LWnpBCmNE4MboEU/dwc/','rhaddad','rania@news.example.org','','2026-12-06 03:11:30','',0,'Rania Haddad'),
(3,'tberg','$P$BLjzuKsF4BrfYt7sk2r7EZxcZUIMU4.','tberg','tom@news.example.org','','2026-12-06 03:11:31','',0,'Tom Berg'),
(4,'lea','$P$ByrGxrnM2jbXEPXtxM4AeDcxZZQ4X3.','lea','lea@example.net','https://lea.example.net','2026-12-06 03:11:31','',0,'Lea Schmidt');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_usermeta` (
  `umeta_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `meta_key` varchar(255) DEFAULT NULL,
  `meta_value` longtext DEFAULT NULL,
  PRIMARY KEY (`umeta_id`),
  KEY `user_id` (`user_id`),
  KEY `meta_key` (`meta_key`(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_usermeta` VALUES
(1,1,'nickname','admin'),
(2,1,'first_name',''),
(3,1,'last_name',''),
(4,1,'description',''),
(5,1,'rich_editing','true'),
(6,1,'syntax_highlighting','true'),
(7,1,'comment_shortcuts','false'),
(8,1,'admin_color','fresh'),
(9,1,'use_ssl','0'),
(10,1,'show_admin_bar_front','true'),
(11,1,'locale',''),
(12,1,'wp_capabilities','a:1:{s:13:\"administrator\";b:1;}'),
(13,1,'wp_user_level','10'),
(14,1,'dismissed_wp_pointers',''),
(15,1,'show_welcome_panel','1'),
(16,2,'nickname','rhaddad'),
(17,2,'first_name','Rania'),
(18,2,'last_name','Haddad'),
(19,2,'description',''),
(20,2,'rich_editing','true'),
(21,2,'syntax_highlighting','true'),
(22,2,'comment_shortcuts','false'),
(23,2,'admin_color','fresh'),
(24,2,'use_ssl','0'),
(25,2,'show_admin_bar_front','true'),
(26,2,'locale',''),
(27,2,'wp_capabilities','a:1:{s:6:\"editor\";b:1;}'),
(28,2,'wp_user_level','7'),
(29,2,'dismissed_wp_pointers',''),
(30,3,'nickname','tberg'),
(31,3,'first_name',''),
(32,3,'last_name',''),
(33,3,'description',''),
(34,3,'rich_editing','true'),
(35,3,'syntax_highlighting','true'),
(36,3,'comment_shortcuts','false'),
(37,3,'admin_color','fresh'),
(38,3,'use_ssl','0'),
(39,3,'show_admin_bar_front','true'),
(40,3,'locale',''),
(41,3,'wp_capabilities','a:1:{s:6:\"author\";b:1;}'),
(42,3,'wp_user_level','2'),
(43,3,'dismissed_wp_pointers',''),
(44,4,'nickname','lea'),
(45,4,'first_name',''),
(46,4,'last_name',''),
(47,4,'description',''),
(48,4,'rich_editing','true'),
(49,4,'syntax_highlighting','true'),
(50,4,'comment_shortcuts','false'),
(51,4,'admin_color','fresh'),
(52,4,'use_ssl','0'),
(53,4,'show_admin_bar_front','true'),
(54,4,'locale',''),
(55,4,'wp_capabilities','a:1:{s:10:\"subscriber\";b:1;}'),
(56,4,'wp_user_level','0'),
(57,4,'dismissed_wp_pointers','');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_posts` (
  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `post_author` bigint(20) unsigned NOT NULL DEFAULT 0,
  `post_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_date_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_content` longtext NOT NULL,
  `post_title` text NOT NULL,
  `post_excerpt` text NOT NULL,
  `post_status` varchar(20) NOT NULL DEFAULT 'publish',
  `comment_status` varchar(20) NOT NULL DEFAULT 'open',
  `ping_status` varchar(20) NOT NULL DEFAULT 'open',
  `post_password` varchar(255) NOT NULL DEFAULT '',
  `post_name` varchar(200) NOT NULL DEFAULT '',
  `to_ping` text NOT NULL,
  `pinged` text NOT NULL,
  `post_modified` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_modified_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `post_content_filtered` longtext NOT NULL,
  `post_parent` bigint(20) unsigned NOT NULL DEFAULT 0,
  `guid` varchar(255) NOT NULL DEFAULT '',
  `menu_order` int(11) NOT NULL DEFAULT 0,
  `post_type` varchar(20) NOT NULL DEFAULT 'post',
  `post_mime_type` varchar(100) NOT NULL DEFAULT '',
  `comment_count` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`ID`),
  KEY `post_name` (`post_name`(191)),
  KEY `type_status_date` (`post_type`,`post_status`,`post_date`,`ID`),
  KEY `post_parent` (`post_parent`),
  KEY `post_author` (`post_author`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_posts` VALUES
(1,1,'2026-12-06 03:11:30','2026-12-06 03:11:30','<!-- wp:paragraph -->\n<p>Welcome to WordPress. This is your first post. Edit or delete it, then start writing!</p>\n<!-- /wp:paragraph -->','Hello world!','','publish','open','open','','hello-world','','','2026-12-06 03:11:30','2026-12-06 03:11:30','',0,'https://news.example.org/?p=1',0,'post','',1),
(2,1,'2026-12-06 03:11:30','2026-12-06 03:11:30','<!-- wp:paragraph -->\n<p>This is an example page. It\'s different from a blog post because it will stay in one place and will show up in your site navigation (in most themes). Most people start with an About page that introduces them to potential site visitors. It might say something like this:</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>Hi there! I\'m a bike messenger by day, aspiring actor by night, and this is my website. I live in Los Angeles, have a great dog named Jack, and I like pi&#241;a coladas. (And gettin\' caught in the rain.)</p></blockquote>\n<!-- /wp:quote -->\n\n<!-- wp:paragraph -->\n<p>...or something like this:</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>The XYZ Doohickey Company was founded in 1971, and has been providing quality doohickeys to the public ever since. Located in Gotham City, XYZ employs over 2,000 people and does all kinds of awesome things for the Gotham community.</p></blockquote>\n<!-- /wp:quote -->\n\n<!-- wp:paragraph -->\n<p>As a new WordPress user, you should go to <a href=\"http://news.example.org/wp-admin/\">your dashboard</a> to delete this page and create new pages for your content. Have fun!</p>\n<!-- /wp:paragraph -->','Sample Page','','publish','closed','open','','sample-page','','','2026-12-06 03:11:30','2026-12-06 03:11:30','',0,'https://news.example.org/?page_id=2',0,'page','',0),
(3,1,'2026-12-06 03:11:30','2026-12-06 03:11:30','<!-- wp:heading --><h2>Who we are</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>Our website address is: https://news.example.org.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Comments</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>When visitors leave comments on the site we collect the data shown in the comments form, and also the visitor&#8217;s IP address and browser user agent string to help spam detection.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>An anonymized string created from your email address (also called a hash) may be provided to the Gravatar service to see if you are using it. The Gravatar service privacy policy is available here: https://automattic.com/privacy/. After approval of your comment, your profile picture is visible to the public in the context of your comment.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Media</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>If you upload images to the website, you should avoid uploading images with embedded location data (EXIF GPS) included. Visitors to the website can download and extract any location data from images on the website.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Cookies</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>If you leave a comment on our site you may opt-in to saving your name, email address and website in cookies. These are for your convenience so that you do not have to fill in your details again when you leave another comment. These cookies will last for one year.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>If you visit our login page, we will set a temporary cookie to determine if your browser accepts cookies. This cookie contains no personal data and is discarded when you close your browser.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>When you log in, we will also set up several cookies to save your login information and your screen display choices. Login cookies last for two days, and screen options cookies last for a year. If you select &quot;Remember Me&quot;, your login will persist for two weeks. If you log out of your account, the login cookies will be removed.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>If you edit or publish an article, an additional cookie will be saved in your browser. This cookie includes no personal data and simply indicates the post ID of the article you just edited. It expires after 1 day.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Embedded content from other websites</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>Articles on this site may include embedded content (e.g. videos, images, articles, etc.). Embedded content from other websites behaves in the exact same way as if the visitor has visited the other website.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>These websites may collect data about you, use cookies, embed additional third-party tracking, and monitor your interaction with that embedded content, including tracking your interaction with the embedded content if you have an account and are logged in to that website.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Who we share your data with</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>If you request a password reset, your IP address will be included in the reset email.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>How long we retain your data</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>If you leave a comment, the comment and its metadata are retained indefinitely. This is so we can recognize and approve any follow-up comments automatically instead of holding them in a moderation queue.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>For users that register on our website (if any), we also store the personal information they provide in their user profile. All users can see, edit, or delete their personal information at any time (except they cannot change their username). Website administrators can also see and edit that information.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>What rights you have over your data</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>If you have an account on this site, or have left comments, you can request to receive an exported file of the personal data we hold about you, including any data you have provided to us. You can also request that we erase any personal data we hold about you. This does not include any data we are obliged to keep for administrative, legal, or security purposes.</p><!-- /wp:paragraph --><!-- wp:heading --><h2>Where your data is sent</h2><!-- /wp:heading --><!-- wp:paragraph --><p><strong class=\"privacy-policy-tutorial\">Suggested text: </strong>Visitor comments may be checked through an automated spam detection service.</p><!-- /wp:paragraph -->','Privacy Policy','','draft','closed','open','','privacy-policy','','','2026-12-06 03:11:30','2026-12-06 03:11:30','',0,'https://news.example.org/?page_id=3',0,'page','',0),
(4,1,'2024-04-12 09:30:00','2024-04-12 07:30:00','','Harbour council chamber','The council chamber on budget night.','inherit','open','closed','','harbour-council-chamber','','','2026-12-06 04:11:31','2026-12-06 03:11:31','',5,'https://news.example.org/harbour-council-chamber/',0,'attachment','image/png',0),
(5,2,'2024-04-12 23:30:00','2024-04-12 21:30:00','<!-- wp:paragraph -->\n<p>The harbour council passed next year\'s <strong>budget</strong> on Thursday night, after <a href=\"https://news.example.org/2024/03/01/budget-preview/\">a month of hearings</a>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">What changes for schools</h2>\n<!-- /wp:heading -->\n\n<!-- wp:paragraph -->\n<p>Two new classrooms and a later start for the ferry to the island school.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>We kept the ferry running, and that was the hard part.</p>\n<!-- /wp:paragraph --><cite>Mayor Ines Vidal</cite></blockquote>\n<!-- /wp:quote -->\n\n<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>Schools: +4%</li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>Harbour works: +11%</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->\n\n<!-- wp:image {\"id\":4,\"sizeSlug\":\"full\",\"linkDestination\":\"none\"} -->\n<figure class=\"wp-block-image size-full\"><img src=\"/wp-content/uploads/2024/04/harbour-council.png\" alt=\"Councillors around a long table\" class=\"wp-image-4\"/><figcaption class=\"wp-element-caption\">Budget night in the chamber.</figcaption></figure>\n<!-- /wp:image -->\n\n<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true} -->\n<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div><figcaption class=\"wp-element-caption\">The full session.</figcaption></figure>\n<!-- /wp:embed -->\n\n<!-- wp:embed {\"url\":\"https://twitter.com/harbourtown/status/1\",\"type\":\"rich\",\"providerNameSlug\":\"twitter\"} -->\n<figure class=\"wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter\"><div class=\"wp-block-embed__wrapper\">\nhttps://twitter.com/harbourtown/status/1\n</div></figure>\n<!-- /wp:embed -->','Council passes the harbour budget','Schools and the island ferry win; the harbour works cost more than planned.','publish','open','open','','council-passes-harbour-budget','','','2024-04-12 23:30:00','2024-04-12 21:30:00','',0,'https://news.example.org/2024/04/12/council-passes-harbour-budget/',0,'post','',6),
(6,3,'2024-05-02 08:15:00','2024-05-02 06:15:00','The sea at the old pier rose 4 cm in ten years, the <em>coastal survey</em> says.\n\nhttps://vimeo.com/76979871\n\n<h3>Where the water comes in</h3>\n<blockquote>The pier was built for a sea that no longer exists.</blockquote>\n<ol>\n<li>North pier</li>\n<li>Fish market</li>\n</ol>\n<p>Read the <a href=\"https://example.org/survey.pdf\" onclick=\"steal()\">survey</a>.<script>alert(\'x\')</script></p>\n<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/aqz-KE-bpKQ\" frameborder=\"0\" allowfullscreen></iframe>','The sea at the old pier','','publish','closed','open','','sea-at-the-old-pier','','','2024-05-02 08:15:00','2024-05-02 06:15:00','',0,'https://news.example.org/2024/05/02/sea-at-the-old-pier/',0,'post','',1),
(7,2,'2024-05-10 12:00:00','2024-05-10 10:00:00','<!-- wp:paragraph -->\n<p>Ask us anything about the new timetable.</p>\n<!-- /wp:paragraph -->','Ferry timetable: your questions','','publish','open','open','','ferry-questions','','','2024-05-10 12:00:00','2024-05-10 10:00:00','',0,'https://news.example.org/2024/05/10/ferry-questions/',0,'post','',1),
(8,3,'2026-12-06 04:11:31','0000-00-00 00:00:00','<p>Not ready.</p>','School meals (draft)','','draft','open','open','','school-meals','','','2026-12-06 04:11:31','0000-00-00 00:00:00','',0,'https://news.example.org/?p=8',0,'post','',0),
(9,2,'2030-01-15 20:00:00','2030-01-15 19:00:00','<p>Results as they come.</p>','Election night live','','future','open','open','','election-night-live','','','2030-01-15 20:00:00','2030-01-15 19:00:00','',0,'https://news.example.org/?p=9',0,'post','',0),
(10,1,'2024-02-01 09:00:00','2024-02-01 08:00:00','<p>For staff only.</p>','Newsroom style notes','','private','open','open','','style-notes','','','2024-02-01 09:00:00','2024-02-01 08:00:00','',0,'https://news.example.org/2024/02/01/style-notes/',0,'post','',0),
(11,1,'2026-12-06 04:11:32','2026-12-06 03:11:32','<p>We report on the harbour.</p>','About us','','publish','closed','closed','','about','','','2026-12-06 04:11:32','2026-12-06 03:11:32','',0,'https://news.example.org/about/',0,'page','',0),
(12,3,'2024-03-03 10:00:00','2024-03-03 09:00:00','<p>Gone.</p>','Retracted story','','trash','open','open','','retracted-story__trashed','','','2026-12-06 04:11:32','2026-12-06 03:11:32','',0,'https://news.example.org/2024/03/03/retracted-story/',0,'post','',1),
(13,1,'2026-12-06 04:11:32','2026-12-06 03:11:32','<p>Gone.</p>','Retracted story','','inherit','closed','closed','','12-revision-v1','','','2026-12-06 04:11:32','2026-12-06 03:11:32','',12,'https://news.example.org/?p=13',0,'revision','',0),
(14,3,'2024-05-20 09:00:00','2024-05-20 07:00:00','<!-- wp:paragraph -->\n<p>From June, [wpdiscuz-feedback id=\"q7m2x9k4a1\" question=\"Does the later ferry work for you?\" opened=\"0\"]the first ferry leaves at 7:40 instead of 7:10[/wpdiscuz-feedback], the harbour office says.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>The last boat back stays at 22:00.</p>\n<!-- /wp:paragraph -->','New ferry times from June','','publish','open','open','','new-ferry-times','','','2024-05-20 09:00:00','2024-05-20 07:00:00','',0,'https://news.example.org/2024/05/20/new-ferry-times/',0,'post','',3);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_postmeta` (
  `meta_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `post_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `meta_key` varchar(255) DEFAULT NULL,
  `meta_value` longtext DEFAULT NULL,
  PRIMARY KEY (`meta_id`),
  KEY `post_id` (`post_id`),
  KEY `meta_key` (`meta_key`(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_postmeta` VALUES
(1,2,'_wp_page_template','default'),
(2,3,'_wp_page_template','default'),
(3,4,'_wp_attached_file','2024/04/harbour-council.png'),
(4,4,'_wp_attachment_metadata','a:6:{s:5:\"width\";i:120;s:6:\"height\";i:80;s:4:\"file\";s:27:\"2024/04/harbour-council.png\";s:8:\"filesize\";i:311;s:5:\"sizes\";a:0:{}s:10:\"image_meta\";a:12:{s:8:\"aperture\";s:1:\"0\";s:6:\"credit\";s:0:\"\";s:6:\"camera\";s:0:\"\";s:7:\"caption\";s:0:\"\";s:17:\"created_timestamp\";s:1:\"0\";s:9:\"copyright\";s:0:\"\";s:12:\"focal_length\";s:1:\"0\";s:3:\"iso\";s:1:\"0\";s:13:\"shutter_speed\";s:1:\"0\";s:5:\"title\";s:0:\"\";s:11:\"orientation\";s:1:\"0\";s:8:\"keywords\";a:0:{}}}'),
(5,4,'_wp_attachment_image_alt','Councillors around a long table'),
(6,5,'_pingme','1'),
(7,5,'_encloseme','1'),
(8,5,'_thumbnail_id','4'),
(9,6,'_pingme','1'),
(10,6,'_encloseme','1'),
(11,7,'_pingme','1'),
(12,7,'_encloseme','1'),
(13,7,'wpdiscuz_closed','1'),
(14,12,'_pingme','1'),
(15,12,'_encloseme','1'),
(16,12,'_wp_trash_meta_status','publish'),
(17,12,'_wp_trash_meta_time','1796526692'),
(18,12,'_wp_desired_post_slug','retracted-story'),
(19,12,'_wp_trash_meta_comments_status','a:1:{i:13;s:1:\"1\";}'),
(20,14,'_pingme','1'),
(21,14,'_encloseme','1');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_comments` (
  `comment_ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `comment_post_ID` bigint(20) unsigned NOT NULL DEFAULT 0,
  `comment_author` tinytext NOT NULL,
  `comment_author_email` varchar(100) NOT NULL DEFAULT '',
  `comment_author_url` varchar(200) NOT NULL DEFAULT '',
  `comment_author_IP` varchar(100) NOT NULL DEFAULT '',
  `comment_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `comment_date_gmt` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `comment_content` text NOT NULL,
  `comment_karma` int(11) NOT NULL DEFAULT 0,
  `comment_approved` varchar(20) NOT NULL DEFAULT '1',
  `comment_agent` varchar(255) NOT NULL DEFAULT '',
  `comment_type` varchar(20) NOT NULL DEFAULT 'comment',
  `comment_parent` bigint(20) unsigned NOT NULL DEFAULT 0,
  `user_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`comment_ID`),
  KEY `comment_post_ID` (`comment_post_ID`),
  KEY `comment_approved_date_gmt` (`comment_approved`,`comment_date_gmt`),
  KEY `comment_date_gmt` (`comment_date_gmt`),
  KEY `comment_parent` (`comment_parent`),
  KEY `comment_author_email` (`comment_author_email`(10))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_comments` VALUES
(1,1,'A WordPress Commenter','wapuu@wordpress.example','https://wordpress.org/','','2026-12-06 03:11:30','2026-12-06 03:11:30','Hi, this is a comment.\nTo get started with moderating, editing, and deleting comments, please visit the Comments screen in the dashboard.\nCommenter avatars come from <a href=\"https://en.gravatar.com/\">Gravatar</a>.',0,'1','','comment',0,0),
(2,5,'Marta Ruiz','marta@example.com','https://marta.example.com','203.0.113.7','2024-04-13 08:00:00','2024-04-13 06:00:00','Finally the ferry is safe. Thank you for the clear summary.',0,'1','Mozilla/5.0','comment',0,0),
(3,5,'Lea Schmidt','lea@example.net','','203.0.113.9','2024-04-13 09:10:00','2024-04-13 07:10:00','Safe for one year. Read page 14 of the budget.\n\nThe money runs out in 2026.',0,'1','Mozilla/5.0','comment',2,4),
(4,5,'Marta Ruiz','marta@example.com','','203.0.113.10','2024-04-13 10:20:00','2024-04-13 08:20:00','Fair point &mdash; but one year is more than we had.',0,'1','Mozilla/5.0','comment',3,0),
(5,5,'Jonas','jonas@example.org','','203.0.113.11','2024-04-13 11:30:00','2024-04-13 09:30:00','Both true. <em>Page 14</em> is grim.',0,'1','Mozilla/5.0','comment',4,0),
(6,5,'New Reader','new@example.org','','203.0.113.9','2024-04-14 07:00:00','2024-04-14 05:00:00','Is the island school getting a teacher too?',0,'0','Mozilla/5.0','comment',2,0),
(7,5,'Cheap Watches','spam@spam.example','','203.0.113.7','2024-04-14 03:00:00','2024-04-14 01:00:00','Buy watches at http://spam.example',0,'spam','Mozilla/5.0','comment',0,0),
(8,5,'Angry Person','angry@example.org','','203.0.113.7','2024-04-14 05:00:00','2024-04-14 03:00:00','Something rude.',0,'trash','Mozilla/5.0','comment',0,0),
(9,5,'Harbour Blog &raquo; Budget notes','','https://harbour-blog.example/budget-notes/','198.51.100.4','2024-04-15 12:00:00','2024-04-15 10:00:00','[&#8230;] the council passed the budget [&#8230;]',0,'1','Mozilla/5.0','pingback',0,0),
(10,5,'Rania Haddad','rania@news.example.org','','203.0.113.7','2024-04-13 07:30:00','2024-04-13 05:30:00','Editor here: we will follow the ferry money all year.',0,'1','Mozilla/5.0','wpdiscuz_sticky',0,2),
(11,6,'Pier Watcher','pier@example.org','','203.0.113.7','2024-05-02 18:00:00','2024-05-02 16:00:00','I have photos of the pier from 1990 if you want them.',0,'1','Mozilla/5.0','comment',0,0),
(12,7,'Commuter','commuter@example.org','','203.0.113.7','2024-05-10 13:00:00','2024-05-10 11:00:00','Will the 7:10 stay?',0,'1','Mozilla/5.0','comment',0,0),
(13,12,'Reader','reader@example.org','','203.0.113.7','2024-03-03 12:00:00','2024-03-03 11:00:00','This was wrong.',0,'post-trashed','Mozilla/5.0','comment',0,0),
(14,14,'Commuter','commuter@example.org','','203.0.113.7','2024-05-20 10:00:00','2024-05-20 08:00:00','No: I start work at 8 on the island.',0,'1','Mozilla/5.0','comment',0,0),
(15,14,'Marta Ruiz','marta@example.com','','203.0.113.21','2024-05-20 11:00:00','2024-05-20 09:00:00','Same here, the school too.',0,'1','Mozilla/5.0','comment',14,0),
(16,14,'Rania Haddad','rania@news.example.org','','203.0.113.7','2024-05-20 12:00:00','2024-05-20 10:00:00','We asked the harbour office; answers below, no debate here please.',0,'1','Mozilla/5.0','comment',0,2),
(17,14,'Pills','pills@spam.example','','203.0.113.7','2024-05-20 13:00:00','2024-05-20 11:00:00','Cheap pills http://spam.example/p',0,'spam','Mozilla/5.0','comment',0,0);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_commentmeta` (
  `meta_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `comment_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `meta_key` varchar(255) DEFAULT NULL,
  `meta_value` longtext DEFAULT NULL,
  PRIMARY KEY (`meta_id`),
  KEY `comment_id` (`comment_id`),
  KEY `meta_key` (`meta_key`(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_commentmeta` VALUES
(1,8,'_wp_trash_meta_status','1'),
(2,8,'_wp_trash_meta_time','1796526692'),
(3,2,'wpdiscuz_votes_seperate','a:2:{s:4:\"like\";i:7;s:7:\"dislike\";i:2;}'),
(4,2,'wpdiscuz_votes','5'),
(5,3,'wpdiscuz_votes_seperate','a:2:{s:4:\"like\";i:3;s:7:\"dislike\";i:0;}'),
(6,3,'wpdiscuz_votes','3'),
(7,5,'wpdiscuz_votes','-1'),
(8,14,'wpdiscuz_feedback_form_id','1'),
(9,16,'wpdiscuz_closed','1'),
(10,14,'wpdiscuz_votes_seperate','a:2:{s:4:\"like\";i:1;s:7:\"dislike\";i:0;}'),
(11,14,'wpdiscuz_votes','1');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_terms` (
  `term_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(200) NOT NULL DEFAULT '',
  `slug` varchar(200) NOT NULL DEFAULT '',
  `term_group` bigint(10) NOT NULL DEFAULT 0,
  PRIMARY KEY (`term_id`),
  KEY `slug` (`slug`(191)),
  KEY `name` (`name`(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_terms` VALUES
(1,'Uncategorized','uncategorized',0),
(2,'Politics','politics',0),
(3,'Local','local',0),
(4,'Climate &amp; Coast','climate',0),
(5,'budget','budget',0),
(6,'schools','schools',0),
(7,'sea level','sea-level',0);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_term_taxonomy` (
  `term_taxonomy_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `term_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `taxonomy` varchar(32) NOT NULL DEFAULT '',
  `description` longtext NOT NULL,
  `parent` bigint(20) unsigned NOT NULL DEFAULT 0,
  `count` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`term_taxonomy_id`),
  UNIQUE KEY `term_id_taxonomy` (`term_id`,`taxonomy`),
  KEY `taxonomy` (`taxonomy`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_term_taxonomy` VALUES
(1,1,'category','',0,1),
(2,2,'category','',0,1),
(3,3,'category','',0,3),
(4,4,'category','',0,1),
(5,5,'post_tag','',0,1),
(6,6,'post_tag','',0,1),
(7,7,'post_tag','',0,1);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_term_relationships` (
  `object_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `term_taxonomy_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `term_order` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`object_id`,`term_taxonomy_id`),
  KEY `term_taxonomy_id` (`term_taxonomy_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_term_relationships` VALUES
(1,1,0),
(5,2,0),
(5,3,0),
(5,5,0),
(5,6,0),
(6,4,0),
(6,7,0),
(7,3,0),
(8,3,0),
(9,2,0),
(10,1,0),
(12,3,0),
(14,3,0);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_wc_users_voted` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` varchar(32) NOT NULL,
  `comment_id` int(11) NOT NULL,
  `vote_type` int(11) DEFAULT NULL,
  `is_guest` tinyint(1) DEFAULT 0,
  `post_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `date` int(11) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `user_id` (`user_id`),
  KEY `comment_id` (`comment_id`),
  KEY `post_id` (`post_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_wc_users_voted` VALUES
(1,'4',2,1,0,5,1713009600),
(2,'3',2,1,0,5,1713009600),
(3,'62973',2,1,1,5,1713009600),
(4,'0',2,-1,1,5,1713009600),
(5,'0',2,-1,1,5,1713009600),
(6,'2',3,1,0,5,1713009600),
(7,'3',3,1,1,5,1713009600),
(8,'62973',5,-1,1,5,1713009600),
(9,'4',14,1,0,14,1713009600);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_wc_comments_subscription` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `email` varchar(100) NOT NULL,
  `subscribtion_id` int(11) NOT NULL,
  `post_id` int(11) NOT NULL,
  `subscribtion_type` varchar(20) NOT NULL,
  `activation_key` varchar(32) NOT NULL,
  `confirm` tinyint(4) DEFAULT 0,
  `subscription_date` timestamp NOT NULL DEFAULT current_timestamp(),
  `imported_from` varchar(25) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `subscribe_unique_index` (`subscribtion_id`,`email`,`post_id`),
  KEY `subscribtion_id` (`subscribtion_id`),
  KEY `post_id` (`post_id`),
  KEY `confirm` (`confirm`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_wc_comments_subscription` VALUES
(1,'marta@example.com',5,5,'post','973e51ca4fba2de9c5ef6e123374a16f',1,'2024-04-13 08:00:05',''),
(2,'new@example.org',5,5,'post','c9a00dbb07920887de9faa0621357ddd',0,'2024-04-14 07:00:05',''),
(3,'lea@example.net',5,5,'all_comment','cf54da9550acad97f9fecac06b653839',1,'2024-04-13 09:10:05',''),
(4,'jonas@example.org',4,5,'comment','508d09eb2066b8e178717ab8601f0bbe',1,'2024-04-13 11:30:05',''),
(5,'pier@example.org',2,5,'comment','73a8cdc5ace0903ed60b7340ad5aeb76',0,'2024-04-15 09:00:00',''),
(6,'commuter@example.org',14,14,'post','9beaf23119407febcff04a8f09c8d924',1,'2024-05-20 10:00:05','');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_wc_follow_users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `post_id` int(11) NOT NULL DEFAULT 0,
  `user_id` int(11) NOT NULL DEFAULT 0,
  `user_email` varchar(100) NOT NULL,
  `user_name` varchar(255) NOT NULL,
  `follower_id` int(11) NOT NULL DEFAULT 0,
  `follower_email` varchar(100) NOT NULL,
  `follower_name` varchar(255) NOT NULL,
  `activation_key` varchar(32) NOT NULL,
  `confirm` tinyint(1) NOT NULL DEFAULT 0,
  `follow_timestamp` int(11) NOT NULL,
  `follow_date` timestamp NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`id`),
  UNIQUE KEY `follow_unique_key` (`user_email`,`follower_email`),
  KEY `post_id` (`post_id`),
  KEY `follower_email` (`follower_email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_wc_follow_users` VALUES
(1,5,4,'lea@example.net','Lea Schmidt',0,'jonas@example.org','Jonas','af418d406b4f919b48c178a827bf7fd9',1,1713009600,'2024-04-13 12:00:00');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_wc_feedback_forms` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `post_id` int(11) NOT NULL DEFAULT 0,
  `unique_id` varchar(15) NOT NULL,
  `question` varchar(255) NOT NULL,
  `opened` tinyint(4) unsigned NOT NULL DEFAULT 0,
  `content` longtext NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `unique_id` (`unique_id`),
  KEY `post_id` (`post_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_wc_feedback_forms` VALUES
(1,14,'q7m2x9k4a1','Does the later ferry work for you?',0,'the first ferry leaves at 7:40 instead of 7:10'),
(2,14,'z0p4c8d2e6','Was the night boat useful?',1,'a night boat at 01:00 on Saturdays');
/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `wp_options` (
  `option_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `option_name` varchar(191) NOT NULL DEFAULT '',
  `option_value` longtext NOT NULL,
  `autoload` varchar(20) NOT NULL DEFAULT 'yes',
  PRIMARY KEY (`option_id`),
  UNIQUE KEY `option_name` (`option_name`),
  KEY `autoload` (`autoload`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `wp_options` VALUES
(3,'blogname','Harbour Town News','yes'),
(46,'db_version','53496','yes'),
(37,'gmt_offset','','yes'),
(2,'home','https://news.example.org','yes'),
(28,'permalink_structure','/%year%/%monthnum%/%day%/%postname%/','yes'),
(1,'siteurl','https://news.example.org','yes'),
(75,'sticky_posts','a:1:{i:0;i:5;}','yes'),
(80,'timezone_string','Europe/Berlin','yes');
