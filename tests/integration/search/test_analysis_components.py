"""Golden `POST _analyze` tests for the analysis components our indices use, on the real node.

The test node of `scripts/services.sh` is Elastic's test distribution, which has no
analysis-common module: a plugin of ours (scripts/elasticsearch) registers the few components of
that module the project uses, from the same Lucene classes. Two kinds of tests pin them:

- Elastic's reference examples. For each component of the plugin (tokenizers ngram and
  edge_ngram; filters asciifolding, elision, pattern_replace, ngram, edge_ngram, stemmer) and for
  the server's own standard tokenizer, lowercase and stop filters that our analyzers also rely on,
  the example of the component's page in the Elasticsearch reference is sent with the page's
  settings, and the tokens must be the ones the page shows (with offsets and positions where the
  page shows them). A component of ours that behaved differently from the stock module fails here.
  The pages are cited for 8.19; the same examples are on the current pages
  (https://www.elastic.co/docs/reference/text-analysis/<page>).
- Our own analyzers: the storefront's (search/backends/elasticsearch.py) and the Wagtail admin's
  (store/settings.py, merged by Wagtail into its default index settings), on a French phrase.
  Those expected tokens are our contract, not Elastic's documentation: the storefront analyzers
  must agree with the database backend's search.text.

Nothing here is specific to the test node: the same tests pass on the official image
(docker compose). They FAIL (never skip) when the node is not configured or not running.
"""

import uuid

import pytest
from django.conf import settings

from search.backends.elasticsearch import query_words
from search.mapping import AppDocument
from search.text import tokens as database_tokens

pytestmark = pytest.mark.elasticsearch

PHRASE = "L'Agence pour l'emploi des Formations"


@pytest.fixture(scope="module")
def es():
    from elasticsearch import Elasticsearch

    if not settings.ELASTICSEARCH_URL:
        pytest.fail(
            "ELASTICSEARCH_URL is not set: the suite needs the Elasticsearch node "
            "(scripts/services.sh up, then ELASTICSEARCH_URL=http://127.0.0.1:9201).",
            pytrace=False,
        )
    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10, max_retries=0)
    problem = None
    try:
        client.info()
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"
    if problem:  # failed outside the except block: one message, no chained traceback
        pytest.fail(
            f"Elasticsearch at {settings.ELASTICSEARCH_URL} (ELASTICSEARCH_URL) is unreachable: "
            f"{problem}",
            pytrace=False,
        )
    yield client
    client.close()


def analyze(es, **request) -> list[str]:
    return [token["token"] for token in es.indices.analyze(**request)["tokens"]]


def analyze_in_full(es, **request) -> list[dict]:
    """Each token with its offsets, type and position, as the reference pages print them."""
    keys = ("token", "start_offset", "end_offset", "type", "position")
    return [{key: token[key] for key in keys} for token in es.indices.analyze(**request)["tokens"]]


# --- Elastic's reference examples: the components of our plugin ------------------------------


def test_asciifolding_filter(es):
    """« ASCII folding token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-asciifolding-tokenfilter.html
    """
    tokens = analyze(es, tokenizer="standard", filter=["asciifolding"], text="açaí à la carte")

    assert tokens == ["acai", "a", "la", "carte"]


def test_asciifolding_after_lowercase_with_offsets_and_positions(es):
    """« Test an analyzer », which prints the whole response of this request:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/test-analyzer.html
    """
    tokens = analyze_in_full(
        es, tokenizer="standard", filter=["lowercase", "asciifolding"], text="Is this déja vu?"
    )

    assert tokens == [
        {"token": "is", "start_offset": 0, "end_offset": 2, "type": "<ALPHANUM>", "position": 0},
        {"token": "this", "start_offset": 3, "end_offset": 7, "type": "<ALPHANUM>", "position": 1},
        {"token": "deja", "start_offset": 8, "end_offset": 12, "type": "<ALPHANUM>", "position": 2},
        {"token": "vu", "start_offset": 13, "end_offset": 15, "type": "<ALPHANUM>", "position": 3},
    ]


def test_elision_filter(es):
    """« Elision token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-elision-tokenfilter.html

    The page uses the pre-configured `elision` filter, whose articles are the French defaults the
    page lists; we never use that one by name (the plugin does not register it), so the same
    request declares a filter of type elision with exactly those articles."""
    documented_defaults = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu"]
    documented_defaults += ["lorsqu", "puisqu"]
    elision = {"type": "elision", "articles": documented_defaults}

    tokens = analyze(es, tokenizer="standard", filter=[elision], text="j’examine près du wharf")

    assert tokens == ["examine", "près", "du", "wharf"]


def test_pattern_replace_filter(es):
    """« Pattern replace token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-pattern_replace-tokenfilter.html

    The page splits with the whitespace tokenizer, which the test node does not have (the project
    never uses it); the standard tokenizer splits this text into the same four words."""
    watch = {"type": "pattern_replace", "pattern": "(dog)", "replacement": "watch$1"}

    tokens = analyze(es, tokenizer="standard", filter=[watch], text="foxes jump lazy dogs")

    assert tokens == ["foxes", "jump", "lazy", "watchdogs"]


def test_pattern_replace_filter_replaces_every_match_by_default(es):
    """« Pattern replace token filter », Configurable parameters, `all`: "If true, all substrings
    matching the pattern parameter's regular expression are replaced [...] Defaults to true."
    (the page has no example with two matches in one token; ours are anchored, ^…$)
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-pattern_replace-tokenfilter.html
    """
    watch = {"type": "pattern_replace", "pattern": "(dog)", "replacement": "watch$1"}
    first_only = {**watch, "all": False}

    assert analyze(es, tokenizer="standard", filter=[watch], text="dogdog") == ["watchdogwatchdog"]
    assert analyze(es, tokenizer="standard", filter=[first_only], text="dogdog") == ["watchdogdog"]


def test_edge_ngram_filter(es):
    """« Edge n-gram token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-edgengram-tokenfilter.html
    """
    edge_ngram = {"type": "edge_ngram", "min_gram": 1, "max_gram": 2}
    text = "the quick brown fox jumps"

    tokens = analyze(es, tokenizer="standard", filter=[edge_ngram], text=text)

    assert tokens == ["t", "th", "q", "qu", "b", "br", "f", "fo", "j", "ju"]


def test_ngram_filter(es):
    """« N-gram token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-ngram-tokenfilter.html
    """
    tokens = analyze(es, tokenizer="standard", filter=["ngram"], text="Quick fox")

    assert tokens == ["Q", "Qu", "u", "ui", "i", "ic", "c", "ck", "k", "f", "fo", "o", "ox", "x"]


def test_stemmer_filter(es):
    """« Stemmer token filter », Example (its default algorithm, english/porter):
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-stemmer-tokenfilter.html
    """
    tokens = analyze(es, tokenizer="standard", filter=["stemmer"], text="the foxes jumping quickly")

    assert tokens == ["the", "fox", "jump", "quickli"]


def test_stemmer_filter_light_french(es):
    """The light_french stemmer our Wagtail index uses: the Elasticsearch reference lists it
    (analysis-stemmer-tokenfilter.html, French) but shows no example, so the expected stems are
    those of Lucene's own test of the class (the "examples from the paper"):
    https://github.com/apache/lucene/blob/main/lucene/analysis/common/src/test/org/apache/lucene/analysis/fr/TestFrenchLightStemFilter.java
    """
    light_french = {"type": "stemmer", "language": "light_french"}
    examples = {
        "chevaux": "cheval",
        "hiboux": "hibou",
        "chantés": "chant",
        "baronnes": "baron",
        "anneaux": "aneau",
        "affreuse": "afreu",
        "investissement": "investi",
        "administrativement": "administratif",
        "caissière": "caisi",
        "folle": "fou",
        "complète": "complet",
    }

    tokens = analyze(es, tokenizer="standard", filter=[light_french], text=" ".join(examples))

    assert tokens == list(examples.values())


def test_edge_ngram_tokenizer(es):
    """« Edge n-gram tokenizer », Example output (default settings):
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-edgengram-tokenizer.html
    """
    tokens = analyze(es, tokenizer="edge_ngram", text="Quick Fox")

    assert tokens == ["Q", "Qu"]


def test_ngram_tokenizer(es):
    """« N-gram tokenizer », Example output (default settings):
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-ngram-tokenizer.html
    """
    tokens = analyze(es, tokenizer="ngram", text="Quick Fox")

    assert tokens == [
        "Q", "Qu", "u", "ui", "i", "ic", "c", "ck", "k", "k ", " ", " F", "F", "Fo", "o", "ox", "x"
    ]  # fmt: skip


# --- Elastic's reference examples: the server's own components our analyzers use -------------


def test_standard_tokenizer(es):
    """« Standard tokenizer », Example output:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-standard-tokenizer.html
    """
    text = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone."

    tokens = analyze(es, tokenizer="standard", text=text)

    assert tokens == [
        "The", "2", "QUICK", "Brown", "Foxes", "jumped", "over", "the", "lazy", "dog's", "bone"
    ]  # fmt: skip


def test_lowercase_filter(es):
    """« Lowercase token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-lowercase-tokenfilter.html
    """
    tokens = analyze(es, tokenizer="standard", filter=["lowercase"], text="THE Quick FoX JUMPs")

    assert tokens == ["the", "quick", "fox", "jumps"]


def test_stop_filter(es):
    """« Stop token filter », Example:
    https://www.elastic.co/guide/en/elasticsearch/reference/8.19/analysis-stop-tokenfilter.html
    """
    text = "a quick fox jumps over the lazy dog"

    tokens = analyze(es, tokenizer="standard", filter=["stop"], text=text)

    assert tokens == ["quick", "fox", "jumps", "over", "lazy", "dog"]


# --- Our analyzers: the contract we rely on ---------------------------------------------------


def new_index_name(kind: str) -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-analysis-{kind}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def storefront_index(es):
    """An index of the storefront's exact mapping and analysis (what a rebuild creates)."""
    name = new_index_name("apps")
    AppDocument.init(index=name, using=es)
    yield name
    es.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(scope="module")
def admin_index(es):
    """An index of the Wagtail admin's exact settings: Wagtail's defaults with ours merged in."""
    from wagtail.search.backends import get_search_backend

    name = new_index_name("admin")
    es.indices.create(index=name, **get_search_backend("default").settings)
    yield name
    es.indices.delete(index=name, ignore_unavailable=True)


@pytest.mark.parametrize("phrase", [PHRASE, PHRASE.replace("'", "’")])
def test_french_text_analyzer(es, storefront_index, phrase):
    """Every text field, and all_text: elisions (straight or typographic apostrophe), case and
    accents, the database backend's stop words and plurals, exactly as search.text does."""
    tokens = analyze(es, index=storefront_index, analyzer="french_text", text=phrase)

    assert tokens == ["agence", "emploi", "formation"]
    assert tokens == database_tokens(phrase)


def test_french_folded_analyzer(es, storefront_index):
    """The search side of name.prefix: folded words, no stemming (« formations » is not a
    prefix of « formation »), the words search.backends.elasticsearch.query_words sends."""
    tokens = analyze(es, index=storefront_index, analyzer="french_folded", text=PHRASE)

    assert tokens == ["agence", "emploi", "formations"]
    assert tokens == query_words(PHRASE)


def test_name_prefix_analyzer(es, storefront_index):
    """name.prefix: every prefix of 2 to 20 letters of each folded word."""
    tokens = analyze(es, index=storefront_index, analyzer="name_prefix", text=PHRASE)

    assert tokens == [
        "ag", "age", "agen", "agenc", "agence",
        "em", "emp", "empl", "emplo", "emploi",
        "fo", "for", "form", "forma", "format", "formati", "formatio", "formation", "formations",
    ]  # fmt: skip


def test_wagtail_default_analyzer(es, admin_index):
    """The admin's text fields (store/settings.py `default`): elisions gone, case and accents
    folded, light French stemming (no stop words): « Formations » and « formation » meet."""
    tokens = analyze(es, index=admin_index, analyzer="default", text=PHRASE)

    assert tokens == ["agenc", "pour", "emploi", "des", "form"]
    assert analyze(es, index=admin_index, analyzer="default", text="formation") == ["form"]


def test_wagtail_edgengram_analyzer(es, admin_index):
    """The admin's autocomplete fields (store/settings.py `edgengram_analyzer`): every prefix of
    1 to 15 letters of each elided, folded word; the query side is the standard analyzer."""
    tokens = analyze(es, index=admin_index, analyzer="edgengram_analyzer", text=PHRASE)

    assert tokens == [
        "a", "ag", "age", "agen", "agenc", "agence",
        "p", "po", "pou", "pour",
        "e", "em", "emp", "empl", "emplo", "emploi",
        "d", "de", "des",
        "f", "fo", "for", "form", "forma", "format", "formati", "formatio", "formation",
        "formations",
    ]  # fmt: skip
    assert analyze(es, index=admin_index, analyzer="standard", text="Emploi") == ["emploi"]
