package emploistore.estest;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * The analysis components registered by {@link CompatPlugin}: only those of the "analysis-common"
 * module that the project's index settings name, under the same names and with the same settings
 * and defaults as on a stock node. Each one wraps the Lucene class that the stock module uses, so
 * tokens, offsets and positions match (tests/integration/search/test_analysis_components.py checks
 * them against the examples of Elastic's reference).
 *
 * <pre>
 * tokenizer ngram, edge_ngram    Wagtail's default index settings declare ngram_tokenizer and
 *                                edgengram_tokenizer (unused by its analyzers, but an index with an
 *                                unknown tokenizer type cannot be created)
 * filter    asciifolding         search/backends/elasticsearch.py (french_text, french_folded,
 *                                name_prefix) and Wagtail's default, edgengram_analyzer, ngram_analyzer
 * filter    elision              french_elision, in both (articles + articles_case)
 * filter    pattern_replace      french_plural_aux, french_plural_sx (search/backends/elasticsearch.py)
 * filter    edge_ngram           name_prefixes (ours), edgengram (Wagtail)
 * filter    ngram                ngram (Wagtail, used by its ngram_analyzer)
 * filter    stemmer              french_light_stem (store/settings.py): light_french, and the
 *                                default english (porter) of a stemmer without a language
 * </pre>
 *
 * The server itself already provides, without this plugin, the rest of what the project uses: the
 * standard tokenizer and analyzer, the stop filter (french_stop) and the pre-configured lowercase
 * filter (named, not as a "type"). A documented setting that is not implemented here (token_chars,
 * side: back, another stemmer language) fails the index creation instead of being silently ignored.
 */
final class AnalysisComponents {

    private AnalysisComponents() {}

    // ------------------------------------------------------------------ helpers

    private static TokenFilterFactory filter(String name, Function<TokenStream, TokenStream> create) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return create.apply(in);
            }
        };
    }

    /** A filter that also applies to multi-term queries (prefix, wildcard, fuzzy...) and normalizers, as on a stock node. */
    private static TokenFilterFactory normalizing(String name, Function<TokenStream, TokenStream> create) {
        return new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return create.apply(in);
            }
        };
    }

    private static void checkNgramDiff(IndexSettings indexSettings, int min, int max) {
        int allowed = indexSettings.getMaxNgramDiff();
        if (max - min > allowed) {
            // the stock message, for the tokenizer and the filter alike
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: ["
                    + allowed
                    + "] but was ["
                    + (max - min)
                    + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index level setting."
            );
        }
    }

    /** token_chars (split on other character classes) is not implemented: refuse it rather than ignore it. */
    private static void refuseTokenChars(Settings settings, String type) {
        if (settings.getAsList("token_chars").isEmpty() == false || settings.get("custom_token_chars") != null) {
            throw new IllegalArgumentException(
                "[token_chars] of the " + type + " tokenizer is not implemented on this test node (scripts/elasticsearch)"
            );
        }
    }

    // ------------------------------------------------------------------ tokenizers

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(indexSettings, min, max);
            refuseTokenChars(settings, "ngram");
            return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max));
        });
        // "side" (still in Wagtail's settings) is ignored by the stock edge_ngram tokenizer too
        m.put("edge_ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            refuseTokenChars(settings, "edge_ngram");
            return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max));
        });
        return m;
    }

    // ------------------------------------------------------------------ token filters

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", (indexSettings, env, name, settings) -> {
            boolean preserve = settings.getAsBoolean("preserve_original", false);
            return new NormalizingTokenFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public TokenStream create(TokenStream in) {
                    return new ASCIIFoldingFilter(in, preserve);
                }

                @Override
                public TokenStream normalize(TokenStream in) {
                    // a normalized term is a single token: never keep the original alongside
                    return new ASCIIFoldingFilter(in, false);
                }
            };
        });
        m.put("elision", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            CharArraySet articles = Analysis.parseArticles(env, settings); // articles or articles_path, articles_case
            if (articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
            return normalizing(name, in -> new ElisionFilter(in, articles));
        }));
        m.put("pattern_replace", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            String regex = settings.get("pattern");
            if (regex == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
            }
            Pattern pattern = Regex.compile(regex, settings.get("flags"));
            String replacement = settings.get("replacement", "");
            boolean all = settings.getAsBoolean("all", true);
            return normalizing(name, in -> new PatternReplaceFilter(in, pattern, replacement, all));
        }));
        m.put("ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            boolean preserve = settings.getAsBoolean("preserve_original", false);
            checkNgramDiff(indexSettings, min, max);
            return filter(name, in -> new NGramTokenFilter(in, min, max, preserve));
        });
        // Requires settings: a stock node's "edge_ngram" used by name is a pre-configured filter with
        // max_gram 1, not this type's defaults (max_gram 2); unregistered here, that use fails loudly.
        m.put("edge_ngram", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            boolean preserve = settings.getAsBoolean("preserve_original", false);
            String side = settings.get("side", "front");
            if (side.equals("front") == false) {
                throw new IllegalArgumentException(
                    "side [" + side + "] of the edge_ngram filter is not implemented on this test node (scripts/elasticsearch)"
                );
            }
            return filter(name, in -> new EdgeNGramTokenFilter(in, min, max, preserve));
        }));
        m.put("stemmer", (indexSettings, env, name, settings) -> {
            String language = settings.get("language", settings.get("name", "porter"));
            Function<TokenStream, TokenStream> stem = switch (language.toLowerCase(Locale.ROOT)) {
                case "porter", "english" -> PorterStemFilter::new; // the stock default
                case "light_french", "lightfrench" -> FrenchLightStemFilter::new;
                default -> throw new IllegalArgumentException(
                    "stemmer language ["
                        + language
                        + "] is not implemented on this test node (scripts/elasticsearch has english and light_french)"
                );
            };
            return filter(name, stem);
        });
        return m;
    }
}
