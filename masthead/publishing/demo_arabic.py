"""The demo newsroom's Arabic edition (/ar/): its home, sections and two translated articles.

Written for Masthead as an Arabic-language desk would publish them, not translated word for word;
people and figures are the invented ones of the English originals (demo_content.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from modelsearch.index import insert_or_update_object
from wagtail.models import Locale

from masthead.publishing.actions import translate_page
from masthead.publishing.demo_content import h, p, quote
from masthead.publishing.models import ArticlePage, HomePage, SectionPage

LANGUAGE = "ar"

HOME_INTRO = "صحافة مستقلة يموّلها قرّاؤها."

SECTIONS = {
    "middle-east": (
        "الشرق الأوسط",
        "تقارير من المنطقة: الماء والعمل والمدن والناس الذين يعيشون فيها.",
    ),
    "analysis": ("تحليل", "قراءات مطوّلة تشرح الأرقام التي تقف وراء الأخبار."),
    "in-video": ("بالفيديو", "أفلام قصيرة يصوّرها مراسلونا في الميدان."),
}

# Keyed by the English original's slug.
ARTICLES: dict[str, dict[str, Any]] = {
    "farmers-on-the-lower-euphrates-turn-to-drip-lines-as-the-river-shrinks": {
        "title": "مزارعو الفرات الأدنى يلجؤون إلى الري بالتنقيط مع انحسار النهر",
        "standfirst": "خفّضت جمعية تعاونية قرب الناصرية استهلاكها للمياه بمقدار الثلث. أما الجزء الأصعب، كما يقول أعضاؤها، فلم يكن الأنابيب.",
        "dateline": "الناصرية، العراق",
        "featured_image_caption": "صفوف من الطماطم تحت الري بالتنقيط في الحقل التجريبي التابع للجمعية.",
        "body": [
            *p(
                "على مدى ثلاثة أجيال، كانت عائلة كريم تغمر حقولها كل ربيع: تفتح بوابة في القناة وتترك الماء يجري حتى تدكن التربة. هذا العام بقيت البوابة مغلقة. خطوط بلاستيكية سوداء تمتد الآن على طول كل صف، ومضخة صغيرة تدندن بجانب حوض للتخزين.",
                "العائلة واحدة من ست وعشرين أسرة في جمعية تعاونية جمعت مدّخراتها، إلى جانب قرض من صندوق في المحافظة، لشراء معدات الري بالتنقيط لنحو 140 هكتاراً. ويقول الأعضاء إن الحقول استهلكت في الموسم الماضي ماءً أقل بنحو الثلث، والمحصول يكاد يكون هو نفسه.",
            ),
            h("مضخة مشتركة، وخلافات مشتركة"),
            *p(
                "تقول سلمى جابر، التي تمسك حسابات الجمعية، إن المعدات كانت الجزء الأسهل، أما الاتفاق على من يسقي ومتى فاستغرق شهوراً من الاجتماعات. <em>مع الغمر، يسقي أولاً من كان أقرب إلى القناة</em>، تقول. <em>مع المضخة، كان علينا أن نكتب جدولاً، وكان على الجميع أن يثقوا به.</em>",
                "الجدول معلّق اليوم على جدار غرفة المضخة، مغلّفاً بالبلاستيك ليحميه من الغبار. وتُحال النزاعات إلى لجنة من ثلاثة أعضاء، يكون أحدهم دائماً من الطرف البعيد للقناة.",
            ),
            quote(
                "الأنابيب لا توفّر الماء، الاتفاقات هي التي توفّره. الأنابيب تجعل الاتفاق ممكناً فحسب.",
                "سلمى جابر، أمينة صندوق الجمعية",
            ),
            *p(
                "ويحذّر مهندسون زراعيون من أن الري بالتنقيط ليس علاجاً لنهر يتقلّص؛ فالماء الذي يُوفَّر كثيراً ما يُستعمل لزراعة أراضٍ إضافية، والمرشّحات تنسدّ سريعاً في المياه المحمّلة بالطمي. وتقول الجمعية إنها أبقت مساحتها المزروعة على حالها، وتنظّف مرشّحاتها مرتين في الأسبوع.",
                "أما انتشار هذه التجربة فمرهون بالتمويل. فمعظم المزارعين هنا لا يقدرون على دفع ثمن معدات لا تسترد كلفتها إلا بعد أربعة مواسم أو خمسة، والصندوق الذي موّل هذا المشروع لديه قائمة انتظار طويلة.",
            ),
        ],
    },
    "beiruts-neighbourhood-libraries-reopen-one-borrowed-shelf-at-a-time": {
        "title": "مكتبات الأحياء في بيروت تفتح أبوابها من جديد، رفّاً مستعاراً تلو الآخر",
        "standfirst": "أعاد متطوعون ملء أربع قاعات مطالعة صغيرة بكتب تبرّع بها الجيران. والرفّ الأكثر طلباً ليس الذي توقّعوه.",
        "dateline": "بيروت، لبنان",
        "featured_image_caption": "قاعة مطالعة في الأشرفية تفتح أبوابها صباح يوم سبت.",
        "body": [
            *p(
                "في قاعة المطالعة التي تشغل الطابق الأرضي من محلّ خياطة قديم، أحد عشر كرسياً وطاولتان، ومنذ الشهر الماضي نحو ثلاثة آلاف كتاب. كل واحد منها تبرّع به شخص يسكن على مسافة تُقطع سيراً على الأقدام.",
                "هي واحدة من أربع مكتبات صغيرة أعادت فتحها هذا العام مجموعة من المتطوعين تعارفوا في مجموعة دردشة للحيّ. يجمعون الكتب مساء الجمعة، ويفرزونها صباح السبت، ويفتحون الأبواب عند العاشرة.",
            ),
            h("كتب الطبخ وأدلّة الامتحانات"),
            *p(
                "توقّع المتطوعون أن تكون الروايات أكثر ما يُطلب، لكن كتب الطبخ هي التي تنفد أولاً، تليها كتب المراجعة المدرسية. <em>الناس يريدون كتباً ينتفعون بها</em>، تقول مايا صفير، المعلّمة المتقاعدة التي تتولّى مناوبة السبت. <em>الرواية تقرؤها مرة واحدة، أما كتاب الطبخ فتستعيره مرة بعد مرة.</em>",
                "كتب الأطفال هي النقص الآخر. وقد بدأت المجموعة مبادلة بسيطة: أحضِر كتابين كبر عليهما أولادك، وخذ كتاباً إلى البيت.",
            ),
            quote(
                "المكتبة وعدٌ بأن الحيّ سيبقى هنا حين تعود لتُرجع الكتاب.",
                "مايا صفير، متطوعة",
            ),
            *p(
                "تعيش القاعات على حسن نيّة أهل الحيّ وصندوق صغير لفاتورة الكهرباء. اشتراك في مولّد يُبقي الأضواء مضاءة في المساء، والمجموعة تجمع التبرعات لاشتراك ثانٍ كي تبقى القاعات مفتوحة خلال انقطاعات الكهرباء الطويلة في الصيف.",
            ),
        ],
    },
}

# A conversation under the first Arabic article: Arabic readers, and one who writes in English
# (the thread shows both directions side by side).
CONVERSATION: list[tuple[str, str, int | None]] = [
    (
        "ليلى ع.",
        "في قريتنا قرب سوق الشيوخ جرّبنا التنقيط قبل سنتين، والمشكلة الأكبر كانت انقطاع الكهرباء عن المضخة، لا الاتفاق على الجدول.",
        None,
    ),
    (
        "Sam O.",
        "Interesting that the timetable mattered more than the pipes. Did the co-operative publish it anywhere?",
        0,
    ),
    (
        "أحمد الجبوري",
        "الجدول معلّق في غرفة المضخة كما يذكر التقرير. نحن عندنا جدول مشابه منذ الموسم الماضي وخفّف الخلافات كثيراً.",
        1,
    ),
]

# A reader's comment in Arabic on the English original (its own thread by default).
COMMENT_ON_ORIGINAL = (
    "مريم ح.",
    "تقرير مهم. نتمنى أن تكتبوا أيضاً عن كلفة الصيانة، فالمرشّحات عندنا تحتاج إلى تبديل كل موسم.",
)


def arabic_edition_exists() -> bool:
    return HomePage.objects.filter(locale__language_code=LANGUAGE).exists()


@transaction.atomic
def load_arabic_edition() -> bool:
    """Translate the demo's home, sections and two articles into Arabic; False (nothing changed)
    when there is already an Arabic edition, no Arabic locale, or no demo articles to translate."""
    if arabic_edition_exists() or not Locale.objects.filter(language_code=LANGUAGE).exists():
        return False
    originals = {
        article.slug: article
        for article in ArticlePage.objects.filter(slug__in=ARTICLES).exclude(
            locale__language_code=LANGUAGE
        )
    }
    if not originals:
        return False
    home = HomePage.objects.exclude(locale__language_code=LANGUAGE).order_by("path").first()
    if home is None:
        return False
    translate_page(home, LANGUAGE, title="ماستهيد", intro=HOME_INTRO)
    # Only the sections the translated articles live in: an edition shows no empty sections.
    parents = {original.get_parent().pk for original in originals.values()}
    for section in SectionPage.objects.child_of(home).filter(pk__in=parents):
        if section.slug in SECTIONS:
            title, intro = SECTIONS[section.slug]
            translate_page(section, LANGUAGE, title=title, intro=intro)
    now = timezone.now()
    for slug, fields in ARTICLES.items():
        original = originals.get(slug)
        if original is None:
            continue
        published = original.first_published_at or now - timedelta(hours=1)
        translated = translate_page(
            original,
            LANGUAGE,
            featured_image_credit="رسم توضيحي: ماستهيد",
            first_published_at=published + timedelta(minutes=30),
            **fields,
        )
        insert_or_update_object(translated)
    _load_arabic_comments(originals)
    return True


def _load_arabic_comments(originals: dict[str, ArticlePage]) -> None:
    from masthead.discussion.demo import load_demo_comments

    first_slug = next(iter(ARTICLES))
    original = originals.get(first_slug)
    if original is None:
        return
    translated = original.get_translation_or_none(Locale.objects.get(language_code=LANGUAGE))
    if translated is not None:
        load_demo_comments(translated, CONVERSATION)
    name, text = COMMENT_ON_ORIGINAL
    load_demo_comments(original, [(name, text, None)])
