package io.dcf.helm;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The chart under test ({@code helm/dcf}), rendered by real Helm with a release name, namespace and values. */
final class Chart {

    static final String RELEASE = "dcf";
    static final String NAMESPACE = "dcf-system";

    private Chart() {
    }

    /** The chart's directory (set by Maven; the module's directory when run from an IDE). */
    static Path dir() {
        Path dir = Path.of(System.getProperty("dcf.chart.dir", "dcf")).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no Chart.yaml in " + dir + " (system property dcf.chart.dir)");
        }
        return dir;
    }

    static Helm helm() {
        return new Helm(dir());
    }

    /** {@code helm template dcf helm/dcf -n dcf-system --set k=v ...}, parsed into client-java models. */
    static Rendered template(Map<String, ?> values) {
        return new Rendered(templateText(values));
    }

    static String templateText(Map<String, ?> values) {
        TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return template.call();
    }

    /** The NOTES.txt Helm prints after {@code helm install} (a client-side dry run: no cluster). */
    static String notes(Map<String, ?> values) {
        InstallCommand install = helm().install().withName(RELEASE).withNamespace(NAMESPACE).dryRun()
                .withDryRunOption(DryRun.CLIENT).clientOnly();
        values.forEach(install::set);
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("no NOTES in the output of helm install:\n" + output);
        }
        return output.substring(notes);
    }

    /** Like {@link #template(Map)} with a values file: lists and nested maps ({@code --set} here takes scalars only). */
    static Rendered templateYaml(String valuesYaml) {
        Path file = null;
        try {
            file = Files.createTempFile("dcf-values-", ".yaml");
            Files.writeString(file, valuesYaml);
            return new Rendered(helm().template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file)
                    .call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }
}
