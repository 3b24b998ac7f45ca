"""The synonym table's first rows (coordinators edit it in the admin) and the GIN indexes that
answer the directory search on PostgreSQL (0009 writes the documents)."""

from django.db import migrations

LANGUAGE_COURSE = (
    "sprachkurs, deutschkurs, sprachcafé, deutsch lernen, language course, german course, "
    "language café, دورة لغة, دورة اللغة الألمانية, мовний курс, курс німецької, "
    "курс немецкого, языковой курс, dil kursu, almanca kursu, کلاس زبان, کلاس آلمانی, "
    "ትምህርቲ ቋንቋ"
)
SPORT = "sport, sports, رياضة, спорт, ورزش, spor, ስፖርት"
HOMEWORK = (
    "hausaufgabenhilfe, nachhilfe, homework, tutoring, واجبات منزلية, دروس تقوية, "
    "домашнє завдання, домашнее задание, репетитор, تکلیف, ödev, ትምህርቲ"
)
SYNONYMS = [
    ("de", "sprachcafé", LANGUAGE_COURSE),
    ("de", "sprachkurs", LANGUAGE_COURSE),
    ("de", "deutschkurs", LANGUAGE_COURSE),
    ("de", "integrationskurs", LANGUAGE_COURSE),
    ("de", "sport", SPORT),
    ("de", "fußball", f"football, soccer, كرة القدم, футбол, فوتبال, futbol, {SPORT}"),
    ("de", "schwimm", f"swimming, سباحة, плавання, плавание, شنا, yüzme, {SPORT}"),
    ("de", "radfahr", "cycling, bicycle, دراجة, велосипед, دوچرخه, bisiklet"),
    ("de", "hausaufgaben", HOMEWORK),
    ("de", "nachhilfe", HOMEWORK),
    ("de", "kita", "kindergarten, nursery, childcare, daycare, روضة, дитячий садок, "
     "детский сад, مهدکودک, kreş"),
    ("de", "beratung", "counselling, advice, استشارة, консультація, консультация, مشاوره, "
     "danışmanlık, ምኽሪ"),
    ("de", "wohnung", "housing, flat, apartment, سكن, شقة, житло, квартира, жильё, "
     "مسکن, konut, ev, ገዛ"),
    ("de", "gesundheit", "health, doctor, صحة, طبيب, здоров'я, лікар, здоровье, врач, "
     "سلامت, sağlık, ጥዕና"),
    ("de", "impf", "vaccination, تطعيم, щеплення, прививка, واکسن, aşı"),
    ("de", "bewerbung", "job application, job, work, عمل, وظيفة, робота, работа, کار, iş"),
    ("de", "frauen", "women, نساء, жінки, женщины, زنان, kadınlar, ደቂ ኣንስትዮ"),
    ("de", "kinder", "children, kids, أطفال, діти, дети, کودکان, çocuklar, ቆልዑ"),
    ("en", "language course", "sprachkurs, deutschkurs, sprachcafé"),
    ("en", "language café", "sprachkurs, deutschkurs, sprachcafé, language course"),
    ("ar", "رياضة", f"{SPORT}"),
    ("ar", "لغة", LANGUAGE_COURSE),
    ("uk", "спорт", SPORT),
    ("uk", "мовн", LANGUAGE_COURSE),
    ("uk", "німецьк", LANGUAGE_COURSE),
    ("ru", "спорт", SPORT),
    ("ru", "язык", LANGUAGE_COURSE),
    ("fa", "ورزش", SPORT),
    ("fa", "زبان", LANGUAGE_COURSE),
    ("tr", "spor", SPORT),
    ("tr", "dil", LANGUAGE_COURSE),
    ("ti", "ስፖርት", SPORT),
    ("ti", "ቋንቋ", LANGUAGE_COURSE),
]

INDEXES = [
    ("network_offer_search_vector_gin", "network_offer"),
    ("network_organisation_search_vector_gin", "network_organisation"),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("network", "SearchSynonym")
    for language, term, expansions in SYNONYMS:
        SearchSynonym.objects.get_or_create(
            language=language, term=term, defaults={"expansions": expansions}
        )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("network", "0007_remove_offer_free_text_time_and_cost")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
