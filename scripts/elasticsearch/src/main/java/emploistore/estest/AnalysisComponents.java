package emploistore.estest;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.bn.BengaliAnalyzer;
import org.apache.lucene.analysis.br.BrazilianAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.ckb.SoraniAnalyzer;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanMinimalStemFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.es.SpanishPluralStemFilter;
import org.apache.lucene.analysis.et.EstonianAnalyzer;
import org.apache.lucene.analysis.eu.BasqueAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.ga.IrishAnalyzer;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.gl.GalicianAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.hy.ArmenianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.lt.LithuanianAnalyzer;
import org.apache.lucene.analysis.lv.LatvianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeepWordFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianNormalizationFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.path.ReversePathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.pattern.SimplePatternSplitTokenizer;
import org.apache.lucene.analysis.pattern.SimplePatternTokenizer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.pt.PortugueseMinimalStemFilter;
import org.apache.lucene.analysis.pt.PortugueseStemFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.ru.RussianLightStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.AnalyzerScope;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * The analysis components registered by {@link CompatPlugin}, under the names and with the settings
 * that the Elasticsearch reference documents for them. Each one is a thin wrapper around Lucene's own
 * implementation (the same classes a stock node uses), so tokens, offsets and positions match.
 */
final class AnalysisComponents {

    private AnalysisComponents() {}

    // ------------------------------------------------------------------ factories' small helpers

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

    /** A filter that also applies to keyword normalizers and to multi-term queries (prefix, wildcard...). */
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

    private static AnalysisProvider<TokenFilterFactory> simpleFilter(Function<TokenStream, TokenStream> create) {
        return (indexSettings, env, name, settings) -> filter(name, create);
    }

    private static AnalysisProvider<TokenFilterFactory> simpleNormalizing(Function<TokenStream, TokenStream> create) {
        return (indexSettings, env, name, settings) -> normalizing(name, create);
    }

    private static <T extends Analyzer> AnalyzerProvider<T> analyzer(String name, T analyzer) {
        return new AnalyzerProvider<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AnalyzerScope scope() {
                return AnalyzerScope.INDEX;
            }

            @Override
            public T get() {
                return analyzer;
            }
        };
    }

    private static List<String> wordList(Environment env, Settings settings, String key) {
        return Analysis.getWordList(env, settings, key);
    }

    /** "a => b" rules (mapping char filter, stemmer_override): read the list, or the file under "<key>_path". */
    private static List<String> rules(Environment env, Settings settings, String key, String component) {
        List<String> rules = Analysis.getWordList(env, settings, key);
        if (rules == null) {
            throw new IllegalArgumentException(component + " requires either `" + key + "` or `" + key + "_path` to be configured");
        }
        return rules;
    }

    // ------------------------------------------------------------------ char filters

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", (indexSettings, env, name, settings) -> {
            List<String> tags = settings.getAsList("escaped_tags");
            Set<String> escaped = tags.isEmpty() ? null : new HashSet<>(tags);
            return new CharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader reader) {
                    return escaped == null ? new HTMLStripCharFilter(reader) : new HTMLStripCharFilter(reader, escaped);
                }
            };
        });
        m.put("mapping", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            for (String rule : rules(env, settings, "mappings", "mapping char filter")) {
                int arrow = rule.indexOf("=>");
                if (arrow < 0) {
                    throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                }
                String from = unescape(rule.substring(0, arrow).trim());
                String to = unescape(rule.substring(arrow + 2).trim());
                if (from.isEmpty()) {
                    throw new IllegalArgumentException("Invalid mapping rule: [" + rule + "]. Replaced string cannot be empty");
                }
                builder.add(from, to);
            }
            NormalizeCharMap map = builder.build();
            return new NormalizingCharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader reader) {
                    return new MappingCharFilter(map, reader);
                }
            };
        }));
        m.put("pattern_replace", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            String regex = settings.get("pattern");
            if (regex == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
            }
            Pattern pattern = Regex.compile(regex, settings.get("flags"));
            String replacement = settings.get("replacement", "");
            return new NormalizingCharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader reader) {
                    return new PatternReplaceCharFilter(pattern, replacement, reader);
                }
            };
        }));
        return m;
    }

    /** Backslash escapes allowed in mapping rules: \\ \" \' \n \t \r \b \f \\uXXXX. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                    }
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ tokenizers

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("whitespace", (indexSettings, env, name, settings) -> {
            int max = settings.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, max));
        });
        m.put("keyword", (indexSettings, env, name, settings) -> {
            int bufferSize = settings.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
        });
        m.put("letter", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        m.put("lowercase", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, LowercaseLetterTokenizer::new));
        m.put("classic", (indexSettings, env, name, settings) -> {
            int max = settings.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                ClassicTokenizer t = new ClassicTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        });
        m.put("uax_url_email", (indexSettings, env, name, settings) -> {
            int max = settings.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        });
        m.put("pattern", (indexSettings, env, name, settings) -> {
            Pattern pattern = Regex.compile(settings.get("pattern", "\\W+"), settings.get("flags"));
            int group = settings.getAsInt("group", -1);
            return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(pattern, group));
        });
        m.put("simple_pattern", (indexSettings, env, name, settings) -> {
            String pattern = settings.get("pattern", "");
            return TokenizerFactory.newFactory(name, () -> new SimplePatternTokenizer(pattern));
        });
        m.put("simple_pattern_split", (indexSettings, env, name, settings) -> {
            String pattern = settings.get("pattern", "");
            return TokenizerFactory.newFactory(name, () -> new SimplePatternSplitTokenizer(pattern));
        });
        m.put("path_hierarchy", (indexSettings, env, name, settings) -> {
            char delimiter = singleChar(settings, "delimiter", '/');
            char replacement = singleChar(settings, "replacement", delimiter);
            int bufferSize = settings.getAsInt("buffer_size", 1024);
            int skip = settings.getAsInt("skip", 0);
            boolean reverse = settings.getAsBoolean("reverse", false);
            return TokenizerFactory.newFactory(
                name,
                () -> reverse
                    ? new ReversePathHierarchyTokenizer(bufferSize, delimiter, replacement, skip)
                    : new PathHierarchyTokenizer(bufferSize, delimiter, replacement, skip)
            );
        });
        m.put("ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            checkNgramDiff(indexSettings, min, max, "NGram Tokenizer");
            IntPredicate tokenChars = tokenChars(settings);
            return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars == null || tokenChars.test(chr);
                }
            });
        });
        m.put("edge_ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            IntPredicate tokenChars = tokenChars(settings);
            return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars == null || tokenChars.test(chr);
                }
            });
        });
        return m;
    }

    private static char singleChar(Settings settings, String key, char defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.length() != 1) {
            throw new IllegalArgumentException("[" + key + "] must be a single character, got [" + value + "]");
        }
        return value.charAt(0);
    }

    private static void checkNgramDiff(IndexSettings indexSettings, int min, int max, String what) {
        int allowed = indexSettings.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in "
                    + what
                    + " must be less than or equal to: ["
                    + allowed
                    + "] but was ["
                    + (max - min)
                    + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index level setting."
            );
        }
    }

    /** The "token_chars" classes of the ngram tokenizers; null means every character belongs to a token. */
    private static IntPredicate tokenChars(Settings settings) {
        List<String> classes = settings.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String cls : classes) {
            IntPredicate p = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> c -> switch (Character.getType(c)) {
                    case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> c -> switch (Character.getType(c)) {
                    case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
                    default -> false;
                };
                case "custom" -> {
                    String custom = settings.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: [custom] requires setting `custom_token_chars`");
                    }
                    Set<Integer> chars = new HashSet<>();
                    custom.codePoints().forEach(chars::add);
                    yield chars::contains;
                }
                default -> throw new IllegalArgumentException(
                    "Unknown token type: '" + cls + "', must be one of [symbol, custom, whitespace, letter, punctuation, digit]"
                );
            };
            result = result.or(p);
        }
        return result;
    }

    /** The "lowercase" tokenizer: runs of letters, lower-cased (Lucene 9 no longer ships one). */
    static final class LowercaseLetterTokenizer extends Tokenizer {
        private static final int MAX_TOKEN_LENGTH = 255;
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
        private String text;
        private int cursor;

        private void readInput() throws IOException {
            if (text == null) {
                StringBuilder sb = new StringBuilder();
                char[] buf = new char[1024];
                for (int n; (n = input.read(buf)) != -1;) {
                    sb.append(buf, 0, n);
                }
                text = sb.toString();
                cursor = 0;
            }
        }

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            readInput();
            int n = text.length();
            while (cursor < n && Character.isLetter(text.codePointAt(cursor)) == false) {
                cursor += Character.charCount(text.codePointAt(cursor));
            }
            if (cursor >= n) {
                return false;
            }
            int start = cursor;
            while (cursor < n && term.length() < MAX_TOKEN_LENGTH) {
                int cp = text.codePointAt(cursor);
                if (Character.isLetter(cp) == false) {
                    break;
                }
                term.append(new String(Character.toChars(Character.toLowerCase(cp))));
                cursor += Character.charCount(cp);
            }
            offset.setOffset(correctOffset(start), correctOffset(cursor));
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            readInput();
            int last = correctOffset(text.length());
            offset.setOffset(last, last);
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            text = null;
            cursor = 0;
        }
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
        m.put("lowercase", (indexSettings, env, name, settings) -> {
            String language = settings.get("language");
            if (language == null) {
                return normalizing(name, LowerCaseFilter::new);
            }
            Function<TokenStream, TokenStream> f = switch (language.toLowerCase(Locale.ROOT)) {
                case "greek" -> GreekLowerCaseFilter::new;
                case "irish" -> IrishLowerCaseFilter::new;
                case "turkish" -> TurkishLowerCaseFilter::new;
                default -> throw new IllegalArgumentException("language [" + language + "] not support for lower case");
            };
            return normalizing(name, f);
        });
        m.put("uppercase", simpleNormalizing(UpperCaseFilter::new));
        m.put("trim", simpleNormalizing(TrimFilter::new));
        m.put("truncate", (indexSettings, env, name, settings) -> {
            int length = settings.getAsInt("length", 10);
            if (length <= 0) {
                throw new IllegalArgumentException("length parameter must be provided");
            }
            return filter(name, in -> new TruncateTokenFilter(in, length));
        });
        m.put("unique", (indexSettings, env, name, settings) -> {
            boolean samePositionOnly = settings.getAsBoolean("only_on_same_position", false);
            return filter(name, in -> samePositionOnly ? new RemoveDuplicatesTokenFilter(in) : new UniqueFilter(in));
        });
        m.put("remove_duplicates", simpleFilter(RemoveDuplicatesTokenFilter::new));
        m.put("reverse", simpleFilter(ReverseStringFilter::new));
        m.put("length", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min", 0);
            int max = settings.getAsInt("max", Integer.MAX_VALUE);
            return filter(name, in -> new LengthFilter(in, min, max));
        });
        m.put("limit", (indexSettings, env, name, settings) -> {
            int maxTokens = settings.getAsInt("max_token_count", 1);
            boolean consumeAll = settings.getAsBoolean("consume_all_tokens", false);
            return filter(name, in -> new LimitTokenCountFilter(in, maxTokens, consumeAll));
        });
        m.put("elision", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            CharArraySet articles = Analysis.parseArticles(env, settings);
            if (articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
            return normalizing(name, in -> new ElisionFilter(in, articles));
        }));
        m.put("ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            boolean preserve = settings.getAsBoolean("preserve_original", false);
            checkNgramDiff(indexSettings, min, max, "NGram Tokenizer");
            return gramFilter(name, in -> new NGramTokenFilter(in, min, max, preserve));
        });
        m.put("edge_ngram", (indexSettings, env, name, settings) -> {
            int min = settings.getAsInt("min_gram", 1);
            int max = settings.getAsInt("max_gram", 2);
            boolean preserve = settings.getAsBoolean("preserve_original", false);
            String side = settings.get("side", "front");
            if (side.equals("front")) {
                return gramFilter(name, in -> new EdgeNGramTokenFilter(in, min, max, preserve));
            } else if (side.equals("back")) {
                // grams taken from the end of the word: reverse, cut, reverse back
                return gramFilter(
                    name,
                    in -> new ReverseStringFilter(new EdgeNGramTokenFilter(new ReverseStringFilter(in), min, max, preserve))
                );
            }
            throw new IllegalArgumentException("invalid side [" + side + "], must be [front] or [back]");
        });
        m.put("stemmer", (indexSettings, env, name, settings) -> {
            String language = settings.get("language", settings.get("name", "porter"));
            Function<TokenStream, TokenStream> f = stemmer(language);
            return filter(name, f);
        });
        m.put("snowball", (indexSettings, env, name, settings) -> {
            String language = settings.get("language", "English");
            Function<TokenStream, TokenStream> f = in -> new SnowballFilter(in, language);
            checkStemmer(f, language);
            return filter(name, f);
        });
        m.put("porter_stem", simpleFilter(PorterStemFilter::new));
        m.put("kstem", simpleFilter(KStemFilter::new));
        m.put("french_stem", simpleFilter(in -> new SnowballFilter(in, new FrenchStemmer())));
        m.put("keyword_marker", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            boolean ignoreCase = settings.getAsBoolean("ignore_case", false);
            String patternString = settings.get("keywords_pattern");
            List<String> keywords = wordList(env, settings, "keywords");
            if (patternString != null && keywords != null) {
                throw new IllegalArgumentException("cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
            }
            if (patternString != null) {
                Pattern pattern = Pattern.compile(patternString);
                return filter(name, in -> new PatternKeywordMarkerFilter(in, pattern));
            }
            if (keywords == null) {
                throw new IllegalArgumentException("keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured");
            }
            CharArraySet set = new CharArraySet(keywords, ignoreCase);
            return filter(name, in -> new SetKeywordMarkerFilter(in, set));
        }));
        m.put("keyword_repeat", simpleFilter(KeywordRepeatFilter::new));
        m.put("stemmer_override", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
            for (String rule : rules(env, settings, "rules", "stemmer override filter")) {
                String[] sides = rule.split("=>", -1);
                if (sides.length != 2 || sides[1].trim().isEmpty()) {
                    throw new IllegalArgumentException("Invalid Keyword override Rule:" + rule);
                }
                String stem = sides[1].trim();
                for (String word : sides[0].split(",")) {
                    if (word.trim().isEmpty() == false) {
                        builder.add(word.trim(), stem);
                    }
                }
            }
            StemmerOverrideFilter.StemmerOverrideMap map;
            try {
                map = builder.build();
            } catch (IOException e) {
                throw new IllegalArgumentException("failed to build stemmer override map", e);
            }
            return filter(name, in -> new StemmerOverrideFilter(in, map));
        }));
        m.put("keep", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            List<String> words = wordList(env, settings, "keep_words");
            if (words == null) {
                throw new IllegalArgumentException("keep requires either `keep_words` or `keep_words_path` to be configured");
            }
            CharArraySet set = new CharArraySet(words, settings.getAsBoolean("keep_words_case", false));
            return filter(name, in -> new KeepWordFilter(in, set));
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
        m.put("word_delimiter", (indexSettings, env, name, settings) -> {
            int flags = wordDelimiterFlags(settings);
            CharArraySet protectedWords = protectedWords(env, settings);
            return filter(name, in -> new WordDelimiterFilter(in, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, flags, protectedWords));
        });
        m.put("word_delimiter_graph", (indexSettings, env, name, settings) -> {
            int flags = wordDelimiterFlags(settings);
            if (settings.getAsBoolean("ignore_keywords", false)) {
                flags |= WordDelimiterGraphFilter.IGNORE_KEYWORDS;
            }
            int finalFlags = flags;
            boolean adjustOffsets = settings.getAsBoolean("adjust_offsets", true);
            CharArraySet protectedWords = protectedWords(env, settings);
            return filter(
                name,
                in -> new WordDelimiterGraphFilter(in, adjustOffsets, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, finalFlags, protectedWords)
            );
        });
        m.put("synonym", requiresAnalysisSettings((indexSettings, env, name, settings) -> new SynonymFactory(name, env, settings, false)));
        m.put("synonym_graph", requiresAnalysisSettings((indexSettings, env, name, settings) -> new SynonymFactory(name, env, settings, true)));
        m.put("apostrophe", simpleFilter(ApostropheFilter::new));
        m.put("classic", simpleFilter(ClassicFilter::new));
        m.put("decimal_digit", simpleNormalizing(DecimalDigitFilter::new));
        m.put("cjk_width", simpleNormalizing(CJKWidthFilter::new));
        m.put("german_normalization", simpleNormalizing(GermanNormalizationFilter::new));
        m.put("scandinavian_normalization", simpleNormalizing(ScandinavianNormalizationFilter::new));
        m.put("scandinavian_folding", simpleNormalizing(ScandinavianFoldingFilter::new));
        m.put("flatten_graph", simpleFilter(FlattenGraphFilter::new));
        return m;
    }

    /** ngram filters emit many terms per position: like a stock node, refuse them inside a synonym rule parser. */
    private static TokenFilterFactory gramFilter(String name, Function<TokenStream, TokenStream> create) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return create.apply(in);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                throw new IllegalArgumentException("Token filter [" + name + "] cannot be used to parse synonyms");
            }
        };
    }

    private static int wordDelimiterFlags(Settings s) {
        int flags = 0;
        flags |= s.getAsBoolean("generate_word_parts", true) ? WordDelimiterGraphFilter.GENERATE_WORD_PARTS : 0;
        flags |= s.getAsBoolean("generate_number_parts", true) ? WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS : 0;
        flags |= s.getAsBoolean("catenate_words", false) ? WordDelimiterGraphFilter.CATENATE_WORDS : 0;
        flags |= s.getAsBoolean("catenate_numbers", false) ? WordDelimiterGraphFilter.CATENATE_NUMBERS : 0;
        flags |= s.getAsBoolean("catenate_all", false) ? WordDelimiterGraphFilter.CATENATE_ALL : 0;
        flags |= s.getAsBoolean("split_on_case_change", true) ? WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE : 0;
        flags |= s.getAsBoolean("preserve_original", false) ? WordDelimiterGraphFilter.PRESERVE_ORIGINAL : 0;
        flags |= s.getAsBoolean("split_on_numerics", true) ? WordDelimiterGraphFilter.SPLIT_ON_NUMERICS : 0;
        flags |= s.getAsBoolean("stem_english_possessive", true) ? WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE : 0;
        return flags;
    }

    private static CharArraySet protectedWords(Environment env, Settings settings) {
        List<String> words = wordList(env, settings, "protected_words");
        return words == null ? null : new CharArraySet(words, false);
    }

    /** The "language" values of the stemmer filter (the usual ones; others fall back to Snowball by name). */
    private static Function<TokenStream, TokenStream> stemmer(String language) {
        Function<TokenStream, TokenStream> f = switch (language) {
            case "porter", "english" -> PorterStemFilter::new;
            case "porter2" -> in -> new SnowballFilter(in, new EnglishStemmer());
            case "light_english", "kstem" -> KStemFilter::new;
            case "minimal_english" -> EnglishMinimalStemFilter::new;
            case "possessive_english" -> EnglishPossessiveFilter::new;
            case "french" -> in -> new SnowballFilter(in, new FrenchStemmer());
            case "light_french" -> FrenchLightStemFilter::new;
            case "minimal_french" -> FrenchMinimalStemFilter::new;
            case "light_german" -> GermanLightStemFilter::new;
            case "minimal_german" -> GermanMinimalStemFilter::new;
            case "light_spanish" -> SpanishLightStemFilter::new;
            case "spanish_plural" -> SpanishPluralStemFilter::new;
            case "light_italian" -> ItalianLightStemFilter::new;
            case "light_portuguese" -> PortugueseLightStemFilter::new;
            case "minimal_portuguese" -> PortugueseMinimalStemFilter::new;
            case "portuguese_rslp" -> PortugueseStemFilter::new;
            case "light_russian" -> RussianLightStemFilter::new;
            case "arabic" -> ArabicStemFilter::new;
            default -> {
                // german, spanish, italian, dutch, russian, danish, ...: the Snowball stemmer of that name
                String snowball = language.isEmpty()
                    ? language
                    : Character.toUpperCase(language.charAt(0)) + language.substring(1).toLowerCase(Locale.ROOT);
                yield in -> new SnowballFilter(in, snowball);
            }
        };
        checkStemmer(f, language);
        return f;
    }

    /** Fail when the index is created, not on the first document, if the stemmer does not exist. */
    private static void checkStemmer(Function<TokenStream, TokenStream> f, String language) {
        try {
            f.apply(new WhitespaceTokenizer());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown stemmer language [" + language + "]", e);
        }
    }

    /** "unique" across the whole stream (RemoveDuplicatesTokenFilter only looks at one position). */
    static final class UniqueFilter extends FilteringTokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueFilter(TokenStream in) {
            super(in);
        }

        @Override
        protected boolean accept() {
            if (seen.contains(term.buffer(), 0, term.length())) {
                return false;
            }
            seen.add(term.toString());
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    /**
     * synonym / synonym_graph: the rules are parsed with the analysis chain that precedes the filter
     * (tokenizer, char filters and earlier filters), which is only known once the analyzer is assembled.
     */
    static final class SynonymFactory implements TokenFilterFactory {
        private final String name;
        private final Environment env;
        private final Settings settings;
        private final boolean graph;

        SynonymFactory(String name, Environment env, Settings settings, boolean graph) {
            this.name = name;
            this.env = env;
            this.settings = settings;
            this.graph = graph;
            if (settings.get("synonyms_set") != null) {
                throw new IllegalArgumentException("[synonyms_set] (synonyms API) is not supported on this test node");
            }
            if (settings.getAsList("synonyms", null) == null && settings.get("synonyms_path") == null) {
                throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream in) {
            throw new IllegalStateException("synonym filter [" + name + "] must be specialised for its analysis chain first");
        }

        @Override
        public TokenFilterFactory getChainAwareTokenFilterFactory(
            IndexCreationContext context,
            TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters,
            List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters
        ) {
            List<TokenFilterFactory> previous = new ArrayList<>();
            for (TokenFilterFactory f : previousTokenFilters) {
                previous.add(f.getSynonymFilter());
            }
            Analyzer ruleAnalyzer = new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String fieldName) {
                    Tokenizer source = tokenizer.create();
                    TokenStream ts = source;
                    for (TokenFilterFactory f : previous) {
                        ts = f.create(ts);
                    }
                    return new TokenStreamComponents(source, ts);
                }

                @Override
                protected Reader initReader(String fieldName, Reader reader) {
                    for (CharFilterFactory c : charFilters) {
                        reader = c.create(reader);
                    }
                    return reader;
                }
            };
            SynonymMap map = buildMap(ruleAnalyzer);
            return new TokenFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public TokenStream create(TokenStream in) {
                    if (map.fst == null) {
                        return in; // no rule: nothing to do (Lucene refuses an empty map)
                    }
                    return graph ? new SynonymGraphFilter(in, map, false) : new SynonymFilter(in, map, false);
                }

                @Override
                public TokenFilterFactory getSynonymFilter() {
                    return IDENTITY_FILTER; // synonyms do not apply to the rules of a later synonym filter
                }
            };
        }

        private SynonymMap buildMap(Analyzer ruleAnalyzer) {
            boolean expand = settings.getAsBoolean("expand", true);
            boolean lenient = settings.getAsBoolean("lenient", false);
            boolean wordnet = "wordnet".equalsIgnoreCase(settings.get("format", "solr"));
            List<String> lines = new ArrayList<>();
            List<String> inline = settings.getAsList("synonyms", null);
            if (inline != null) {
                lines.addAll(inline);
            } else {
                try (Reader r = Analysis.getReaderFromFile(env, settings.get("synonyms_path"), "synonyms_path")) {
                    StringBuilder sb = new StringBuilder();
                    char[] buf = new char[4096];
                    for (int n; (n = r.read(buf)) != -1;) {
                        sb.append(buf, 0, n);
                    }
                    lines.addAll(sb.toString().lines().toList());
                } catch (IOException e) {
                    throw new IllegalArgumentException("failed to read synonyms_path for [" + name + "]", e);
                }
            }
            SynonymMap.Parser parser = wordnet
                ? new WordnetSynonymParser(true, expand, ruleAnalyzer)
                : new SolrSynonymParser(true, expand, ruleAnalyzer);
            try {
                if (lenient && wordnet == false) {
                    // lenient: a rule that cannot be analysed is skipped instead of failing the whole index
                    for (String line : lines) {
                        try {
                            parser.parse(new StringReader(line));
                        } catch (ParseException | IllegalArgumentException e) {
                            // skipped
                        }
                    }
                } else {
                    parser.parse(new StringReader(String.join("\n", lines)));
                }
                return parser.build();
            } catch (ParseException | IOException e) {
                throw new IllegalArgumentException("failed to build synonyms for [" + name + "]: " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------ analyzers

    /** A language analyzer from Lucene: (stopwords, stem exclusion) -> analyzer, and its default stopwords. */
    private record Language(Supplier<CharArraySet> defaultStopwords, BiFunction<CharArraySet, CharArraySet, Analyzer> build) {}

    private static Map<String, Language> languages() {
        Map<String, Language> l = new TreeMap<>();
        l.put("arabic", new Language(ArabicAnalyzer::getDefaultStopSet, ArabicAnalyzer::new));
        l.put("armenian", new Language(ArmenianAnalyzer::getDefaultStopSet, ArmenianAnalyzer::new));
        l.put("basque", new Language(BasqueAnalyzer::getDefaultStopSet, BasqueAnalyzer::new));
        l.put("bengali", new Language(BengaliAnalyzer::getDefaultStopSet, BengaliAnalyzer::new));
        l.put("brazilian", new Language(BrazilianAnalyzer::getDefaultStopSet, BrazilianAnalyzer::new));
        l.put("bulgarian", new Language(BulgarianAnalyzer::getDefaultStopSet, BulgarianAnalyzer::new));
        l.put("catalan", new Language(CatalanAnalyzer::getDefaultStopSet, CatalanAnalyzer::new));
        l.put("cjk", new Language(CJKAnalyzer::getDefaultStopSet, (stop, excl) -> new CJKAnalyzer(stop)));
        l.put("czech", new Language(CzechAnalyzer::getDefaultStopSet, CzechAnalyzer::new));
        l.put("danish", new Language(DanishAnalyzer::getDefaultStopSet, DanishAnalyzer::new));
        l.put("dutch", new Language(DutchAnalyzer::getDefaultStopSet, DutchAnalyzer::new));
        l.put("english", new Language(EnglishAnalyzer::getDefaultStopSet, EnglishAnalyzer::new));
        l.put("estonian", new Language(EstonianAnalyzer::getDefaultStopSet, EstonianAnalyzer::new));
        l.put("finnish", new Language(FinnishAnalyzer::getDefaultStopSet, FinnishAnalyzer::new));
        l.put("french", new Language(FrenchAnalyzer::getDefaultStopSet, FrenchAnalyzer::new));
        l.put("galician", new Language(GalicianAnalyzer::getDefaultStopSet, GalicianAnalyzer::new));
        l.put("german", new Language(GermanAnalyzer::getDefaultStopSet, GermanAnalyzer::new));
        l.put("greek", new Language(GreekAnalyzer::getDefaultStopSet, (stop, excl) -> new GreekAnalyzer(stop)));
        l.put("hindi", new Language(HindiAnalyzer::getDefaultStopSet, HindiAnalyzer::new));
        l.put("hungarian", new Language(HungarianAnalyzer::getDefaultStopSet, HungarianAnalyzer::new));
        l.put("indonesian", new Language(IndonesianAnalyzer::getDefaultStopSet, IndonesianAnalyzer::new));
        l.put("irish", new Language(IrishAnalyzer::getDefaultStopSet, IrishAnalyzer::new));
        l.put("italian", new Language(ItalianAnalyzer::getDefaultStopSet, ItalianAnalyzer::new));
        l.put("latvian", new Language(LatvianAnalyzer::getDefaultStopSet, LatvianAnalyzer::new));
        l.put("lithuanian", new Language(LithuanianAnalyzer::getDefaultStopSet, LithuanianAnalyzer::new));
        l.put("norwegian", new Language(NorwegianAnalyzer::getDefaultStopSet, NorwegianAnalyzer::new));
        l.put("persian", new Language(PersianAnalyzer::getDefaultStopSet, (stop, excl) -> new PersianAnalyzer(stop)));
        l.put("portuguese", new Language(PortugueseAnalyzer::getDefaultStopSet, PortugueseAnalyzer::new));
        l.put("romanian", new Language(RomanianAnalyzer::getDefaultStopSet, RomanianAnalyzer::new));
        l.put("russian", new Language(RussianAnalyzer::getDefaultStopSet, RussianAnalyzer::new));
        l.put("sorani", new Language(SoraniAnalyzer::getDefaultStopSet, SoraniAnalyzer::new));
        l.put("spanish", new Language(SpanishAnalyzer::getDefaultStopSet, SpanishAnalyzer::new));
        l.put("swedish", new Language(SwedishAnalyzer::getDefaultStopSet, SwedishAnalyzer::new));
        l.put("thai", new Language(ThaiAnalyzer::getDefaultStopSet, (stop, excl) -> new ThaiAnalyzer(stop)));
        l.put("turkish", new Language(TurkishAnalyzer::getDefaultStopSet, TurkishAnalyzer::new));
        return l;
    }

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("simple", (indexSettings, env, name, settings) -> analyzer(name, new SimpleAnalyzer()));
        m.put("whitespace", (indexSettings, env, name, settings) -> analyzer(name, new WhitespaceAnalyzer()));
        m.put("keyword", (indexSettings, env, name, settings) -> analyzer(name, new KeywordAnalyzer()));
        m.put(
            "stop",
            (indexSettings, env, name, settings) -> analyzer(
                name,
                new StopAnalyzer(Analysis.parseStopWords(env, settings, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET))
            )
        );
        m.put("pattern", (indexSettings, env, name, settings) -> {
            Pattern pattern = Regex.compile(settings.get("pattern", "\\W+"), settings.get("flags"));
            boolean lowercase = settings.getAsBoolean("lowercase", true);
            CharArraySet stop = Analysis.parseStopWords(env, settings, CharArraySet.EMPTY_SET);
            return analyzer(name, new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String fieldName) {
                    Tokenizer source = new PatternTokenizer(pattern, -1);
                    TokenStream ts = lowercase ? new LowerCaseFilter(source) : source;
                    return new TokenStreamComponents(source, new StopFilter(ts, stop));
                }

                @Override
                protected TokenStream normalize(String fieldName, TokenStream in) {
                    return lowercase ? new LowerCaseFilter(in) : in;
                }
            });
        });
        for (Map.Entry<String, Language> e : languages().entrySet()) {
            Language lang = e.getValue();
            m.put(e.getKey(), (indexSettings, env, name, settings) -> {
                CharArraySet stop = Analysis.parseStopWords(env, settings, lang.defaultStopwords().get());
                CharArraySet exclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
                return analyzer(name, lang.build().apply(stop, exclusion));
            });
        }
        return m;
    }

    /** Default instances of the language analyzers, shared by all indices (as on a stock node). */
    static List<PreBuiltAnalyzerProviderFactory> preBuiltAnalyzers() {
        List<PreBuiltAnalyzerProviderFactory> list = new ArrayList<>();
        for (Map.Entry<String, Language> e : languages().entrySet()) {
            Language lang = e.getValue();
            list.add(
                new PreBuiltAnalyzerProviderFactory(
                    e.getKey(),
                    CachingStrategy.LUCENE,
                    () -> lang.build().apply(lang.defaultStopwords().get(), CharArraySet.EMPTY_SET)
                )
            );
        }
        return list;
    }
}
