package io.collections.analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Tokenizer {@code edge_ngram}: parameters {@code min_gram} (default 1), {@code max_gram}
 * (default 2), {@code token_chars} (any of {@code letter}, {@code digit}, {@code whitespace},
 * {@code punctuation}, {@code symbol}, {@code custom}; empty means every character) and
 * {@code custom_token_chars} (the characters that {@code custom} admits).
 */
public class EdgeNGramTokenizerFactory extends AbstractTokenizerFactory {

    private final int minGram;
    private final int maxGram;
    /** null: keep every character (Lucene's default behaviour). */
    private final IntPredicate tokenChar;

    public EdgeNGramTokenizerFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(indexSettings, settings, name);
        this.minGram = settings.getAsInt("min_gram", 1);
        this.maxGram = settings.getAsInt("max_gram", 2);
        if (minGram < 1) {
            throw new IllegalArgumentException("[min_gram] must be at least 1 for tokenizer [" + name + "], got " + minGram);
        }
        if (maxGram < minGram) {
            throw new IllegalArgumentException(
                "[max_gram] must not be smaller than [min_gram] for tokenizer [" + name + "], got " + maxGram + " < " + minGram
            );
        }
        this.tokenChar = parseTokenChars(settings);
    }

    static IntPredicate parseTokenChars(Settings settings) {
        List<String> classes = settings.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String raw : classes) {
            String cls = raw.trim().toLowerCase(Locale.ROOT);
            IntPredicate p = switch (cls) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> EdgeNGramTokenizerFactory::isPunctuation;
                case "symbol" -> EdgeNGramTokenizerFactory::isSymbol;
                case "custom" -> customChars(settings);
                default -> throw new IllegalArgumentException(
                    "Unknown token type: '" + raw + "', must be one of [letter, digit, whitespace, punctuation, symbol, custom]"
                );
            };
            result = result.or(p);
        }
        return result;
    }

    private static IntPredicate customChars(Settings settings) {
        String chars = settings.get("custom_token_chars");
        if (chars == null || chars.isEmpty()) {
            throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
        }
        int[] codePoints = chars.codePoints().sorted().distinct().toArray();
        return c -> Arrays.binarySearch(codePoints, c) >= 0;
    }

    private static boolean isPunctuation(int c) {
        switch (Character.getType(c)) {
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    private static boolean isSymbol(int c) {
        switch (Character.getType(c)) {
            case Character.MATH_SYMBOL:
            case Character.CURRENCY_SYMBOL:
            case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    @Override
    public Tokenizer create() {
        if (tokenChar == null) {
            return new EdgeNGramTokenizer(minGram, maxGram);
        }
        final IntPredicate matcher = tokenChar;
        return new EdgeNGramTokenizer(minGram, maxGram) {
            @Override
            protected boolean isTokenChar(int chr) {
                return matcher.test(chr);
            }
        };
    }
}
