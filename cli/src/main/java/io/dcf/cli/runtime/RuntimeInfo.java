package io.dcf.cli.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of list.yml.
 *
 * @param name the runtime's name ({@code python})
 * @param template the template directory copied by {@code dcf function init}
 * @param buildArgs the default {@code build_args}
 * @param handlerFile the handler's file ({@code handler.py}); empty when the runtime has none
 * @param handlerName the handler's entry point ({@code Handler})
 */
public record RuntimeInfo(String name, Path template, List<String> buildArgs, String handlerFile,
                          String handlerName) {
}
