package io.collections.analysis;

import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;

/**
 * Supplies the analysis components that the project's index mappings use but that the stripped
 * Elasticsearch distribution served by Maven Central lacks (it has no analysis-common module and
 * no analysis-phonetic plugin). Every component is registered under its official name and reads
 * the official parameters, so one mapping works both here and on a full Elasticsearch 8 with the
 * official analysis-phonetic plugin.
 *
 * <p>Never install this plugin next to the official analysis-common module or analysis-phonetic
 * plugin: the node refuses to start because the names are "already registered".
 */
public class CollectionsAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "edge_ngram", EdgeNGramTokenFilterFactory::new,
            "asciifolding", AsciiFoldingTokenFilterFactory::new,
            "phonetic", PhoneticTokenFilterFactory::new
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("edge_ngram", EdgeNGramTokenizerFactory::new);
    }
}
