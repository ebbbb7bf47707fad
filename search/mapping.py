"""The Elasticsearch mapping of the app document (search/documents.py builds the document).

French analysis, the same as the database backend's (search.text): elision, lower case,
accent folding, the same stop words, plural-only stemming; name prefixes through edge n-grams;
one ``all_text`` field for typo tolerance. Every component here must exist on the test node's
plugin too (scripts/elasticsearch/), where a golden ``_analyze`` test pins each one.
"""

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

from search.text import STOP_WORDS

# --- Analysis ------------------------------------------------------------------------------

elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"],
)
# The database backend's stop words (search.text), so both backends ignore the same words;
# applied after folding, as that list is folded.
stop = token_filter("french_stop", type="stop", stopwords=sorted(STOP_WORDS))
# Plurals only, exactly as search.text.light_stem does for the database backend (« chevaux »
# → « cheval », « formations » → « formation »): Lucene's light_french stemmer goes further
# (« travailler » → « travail », « formation » → « form »), so the backends would disagree.
plural_aux = token_filter(
    "french_plural_aux", type="pattern_replace", pattern="^(.{2,})aux$", replacement="$1al"
)
plural_sx = token_filter(
    "french_plural_sx", type="pattern_replace", pattern="^(.{3,})[sx]$", replacement="$1"
)
name_prefixes = token_filter("name_prefixes", type="edge_ngram", min_gram=2, max_gram=20)

FOLDING = [elision, "lowercase", "asciifolding", stop]
french = analyzer("french_text", tokenizer="standard", filter=[*FOLDING, plural_aux, plural_sx])
# Unstemmed, for name prefixes: « formations » is not a prefix of « formation ».
folded = analyzer("french_folded", tokenizer="standard", filter=FOLDING)
prefixes = analyzer("name_prefix", tokenizer="standard", filter=[*FOLDING, name_prefixes])


def text_field(copy_to=("all_text",), **options):
    # Every text is also copied into all_text (all_text_en for English texts), where typo
    # tolerance looks.
    return Text(analyzer=french, copy_to=list(copy_to), **options)


BOTH = ("all_text", "all_text_en")  # publisher and category names: searched in both languages
ENGLISH_ONLY = ("all_text_en",)


class AppDocument(Document):
    """The mapping of search.documents.app_document(); the index name is given at creation."""

    id = Integer()
    slug = Keyword()
    name = text_field(fields={"prefix": Text(analyzer=prefixes, search_analyzer=folded)})
    # Already folded by search.text.sort_key: sorted as is, like the database backend does.
    name_sort = Keyword()
    tagline = text_field()
    description = text_field()
    # English (falling back to the French), searched for requests in English: the same
    # analysis as French, as the database backend does (search.models.SearchDocument).
    name_en = text_field(
        ENGLISH_ONLY, fields={"prefix": Text(analyzer=prefixes, search_analyzer=folded)}
    )
    name_sort_en = Keyword()
    tagline_en = text_field(ENGLISH_ONLY)
    description_en = text_field(ENGLISH_ONLY)
    licences = Keyword(multi=True)
    publisher = Keyword()
    publisher_name = text_field(BOTH)
    verified = Boolean()
    categories = Keyword(multi=True)
    category_names = text_field(BOTH, multi=True)
    platforms = Keyword(multi=True)
    audiences = Keyword(multi=True)
    pricing = Keyword()
    languages = Keyword(multi=True)
    accessibility = Keyword()
    rating_average = Float()
    rating_count = Integer()
    popularity = Integer()
    published_at = Date()
    updated_at = Date()
    version = Keyword()
    # One field for near misses: a fuzzy query per text field would cost five times more.
    # Stemmed, so « formatoin » is one edit from « formations » (indexed « formation »).
    all_text = Text(analyzer=french)
    all_text_en = Text(analyzer=french)

    class Meta:
        # A field added to app_document() is kept in _source, not guessed into the mapping.
        dynamic = False

    class Index:
        settings = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}
