package emploistore.estest;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Plugin for the local test node started by scripts/services.sh.
 *
 * The only Elasticsearch 8 distribution on Maven Central is the "integ-test-zip": the real server, but
 * without the modules "analysis-common" (language analyzers, ngram, asciifolding, elision, stemmers...)
 * and "rest-root" (GET /). This plugin adds GET / and, under their usual names, only the tokenizers and
 * token filters of analysis-common that the project's index settings use (see {@link AnalysisComponents}:
 * tokenizers ngram and edge_ngram; filters asciifolding, elision, pattern_replace, ngram, edge_ngram and
 * stemmer), built from the same Lucene classes as on a stock node. No analyzer and no char filter: the
 * project defines its own custom analyzers, and the server already has the standard tokenizer, the
 * lowercase and stop filters. Production runs the official image, with the real module.
 */
public final class CompatPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        // a supplier: REST handlers may be built before createComponents() has run
        return List.of(new RootInfoHandler(clusterService::get));
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return AnalysisComponents.tokenizers();
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return AnalysisComponents.tokenFilters();
    }
}
