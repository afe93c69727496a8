package io.collections.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.util.Locale;

/**
 * Token filter {@code edge_ngram}: parameters {@code min_gram} (default 1), {@code max_gram}
 * (default 2), {@code preserve_original} (default false) and the legacy {@code side}
 * ({@code front}, the default, or {@code back}).
 */
public class EdgeNGramTokenFilterFactory extends AbstractTokenFilterFactory {

    private final int minGram;
    private final int maxGram;
    private final boolean preserveOriginal;
    private final boolean back;

    public EdgeNGramTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(name, settings);
        this.minGram = settings.getAsInt("min_gram", 1);
        this.maxGram = settings.getAsInt("max_gram", 2);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        String side = settings.get("side", "front").toLowerCase(Locale.ROOT);
        switch (side) {
            case "front" -> this.back = false;
            case "back" -> this.back = true;
            default -> throw new IllegalArgumentException("invalid side: " + side);
        }
        if (minGram < 1) {
            throw new IllegalArgumentException("[min_gram] must be at least 1 for token filter [" + name + "], got " + minGram);
        }
        if (maxGram < minGram) {
            throw new IllegalArgumentException(
                "[max_gram] must not be smaller than [min_gram] for token filter [" + name + "], got " + maxGram + " < " + minGram
            );
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        TokenStream result = tokenStream;
        // Lucene dropped side=back; reversing before and after gives the same grams.
        if (back) {
            result = new ReverseStringFilter(result);
        }
        result = new EdgeNGramTokenFilter(result, minGram, maxGram, preserveOriginal);
        if (back) {
            result = new ReverseStringFilter(result);
        }
        return result;
    }

    @Override
    public boolean breaksFastVectorHighlighter() {
        return true;
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }
}
