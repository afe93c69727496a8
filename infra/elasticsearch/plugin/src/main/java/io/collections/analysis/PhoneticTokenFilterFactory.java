package io.collections.analysis;

import org.apache.commons.codec.Encoder;
import org.apache.commons.codec.language.Caverphone1;
import org.apache.commons.codec.language.Caverphone2;
import org.apache.commons.codec.language.ColognePhonetic;
import org.apache.commons.codec.language.Metaphone;
import org.apache.commons.codec.language.Nysiis;
import org.apache.commons.codec.language.RefinedSoundex;
import org.apache.commons.codec.language.Soundex;
import org.apache.commons.codec.language.bm.Languages.LanguageSet;
import org.apache.commons.codec.language.bm.NameType;
import org.apache.commons.codec.language.bm.PhoneticEngine;
import org.apache.commons.codec.language.bm.RuleType;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.phonetic.BeiderMorseFilter;
import org.apache.lucene.analysis.phonetic.DaitchMokotoffSoundexFilter;
import org.apache.lucene.analysis.phonetic.DoubleMetaphoneFilter;
import org.apache.lucene.analysis.phonetic.PhoneticFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Token filter {@code phonetic} with the parameters of the official analysis-phonetic plugin:
 * {@code encoder} (default {@code metaphone}), {@code replace} (default true),
 * {@code max_code_len} (double metaphone, default 4) and, for Beider-Morse,
 * {@code rule_type} ({@code approx}/{@code exact}), {@code name_type}
 * ({@code generic}/{@code ashkenazi}/{@code sephardic}) and {@code languageset}.
 *
 * <p>{@code koelnerphonetik} is served by commons-codec's ColognePhonetic (the same Koelner
 * Phonetik algorithm; the official plugin ships its own implementation, whose codes can differ
 * in edge cases). {@code haasephonetik} is not supported.
 */
public class PhoneticTokenFilterFactory extends AbstractTokenFilterFactory {

    /** Builds the filter around the incoming stream; chosen once from the settings. */
    private final UnaryOperator<TokenStream> filter;

    public PhoneticTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(name, settings);
        final boolean inject = settings.getAsBoolean("replace", true) == false;
        final String encoderName = settings.get("encoder", "metaphone");
        switch (encoderName.toLowerCase(Locale.ROOT)) {
            case "metaphone" -> filter = codec(new Metaphone(), inject);
            case "soundex" -> filter = codec(new Soundex(), inject);
            case "refined_soundex", "refinedsoundex" -> filter = codec(new RefinedSoundex(), inject);
            case "caverphone1" -> filter = codec(new Caverphone1(), inject);
            case "caverphone2", "caverphone" -> filter = codec(new Caverphone2(), inject);
            case "cologne", "koelnerphonetik" -> filter = codec(new ColognePhonetic(), inject);
            case "nysiis" -> filter = codec(new Nysiis(), inject);
            case "double_metaphone", "doublemetaphone" -> {
                final int maxCodeLen = settings.getAsInt("max_code_len", 4);
                if (maxCodeLen < 1) {
                    throw new IllegalArgumentException("[max_code_len] must be at least 1 for token filter [" + name + "]");
                }
                filter = in -> new DoubleMetaphoneFilter(in, maxCodeLen, inject);
            }
            case "daitch_mokotoff" -> filter = in -> new DaitchMokotoffSoundexFilter(in, inject);
            case "bm", "beider_morse", "beidermorse" -> filter = beiderMorse(settings);
            case "haasephonetik" -> throw new IllegalArgumentException(
                "encoder [haasephonetik] of the official phonetic plugin is not supported by collections-analysis (token filter ["
                    + name
                    + "])"
            );
            default -> throw new IllegalArgumentException(
                "unknown encoder [" + encoderName + "] for phonetic token filter [" + name + "]"
            );
        }
    }

    private static UnaryOperator<TokenStream> codec(Encoder encoder, boolean inject) {
        return in -> new PhoneticFilter(in, encoder, inject);
    }

    private static UnaryOperator<TokenStream> beiderMorse(Settings settings) {
        final String ruleTypeName = settings.get("rule_type", "approx");
        final RuleType ruleType = switch (ruleTypeName.toLowerCase(Locale.ROOT)) {
            case "approx" -> RuleType.APPROX;
            case "exact" -> RuleType.EXACT;
            default -> throw new IllegalArgumentException("No matching rule type [" + ruleTypeName + "] for beider morse encoder");
        };
        final String nameTypeName = settings.get("name_type", "generic");
        final NameType nameType = switch (nameTypeName.toLowerCase(Locale.ROOT)) {
            case "generic" -> NameType.GENERIC;
            case "ashkenazi" -> NameType.ASHKENAZI;
            case "sephardic" -> NameType.SEPHARDIC;
            default -> throw new IllegalArgumentException("No matching name type [" + nameTypeName + "] for beider morse encoder");
        };
        final List<String> languages = settings.getAsList("languageset");
        final LanguageSet languageSet = languages.isEmpty() ? null : LanguageSet.from(new HashSet<>(languages));
        final PhoneticEngine engine = new PhoneticEngine(nameType, ruleType, true);
        return in -> new BeiderMorseFilter(in, engine, languageSet);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return filter.apply(tokenStream);
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }
}
