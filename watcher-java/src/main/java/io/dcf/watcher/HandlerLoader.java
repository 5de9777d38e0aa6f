package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.sdk.Context;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads the user's handler class from {@code DCF_HANDLER_PATH} in its own class loader, whose
 * parent is the watcher's, so {@code io.dcf.sdk} resolves to the watcher's copy; creates the
 * one instance and runs its {@code init}. Every failure names the class and the path.
 */
final class HandlerLoader {

    private final String className;
    private final List<Path> path;
    private final ClassLoader parent;

    HandlerLoader(String className, List<Path> path, ClassLoader parent) {
        this.className = requireNonNull(className, "className");
        this.path = List.copyOf(path);
        this.parent = requireNonNull(parent, "parent");
    }

    static HandlerLoader of(WatcherConfig config) {
        return new HandlerLoader(config.handlerClass(), config.handlerPath(), HandlerLoader.class.getClassLoader());
    }

    /** Loads, instantiates and initialises the handler with {@code context}. */
    LoadedHandler load(Context context) throws HandlerLoadException {
        requireNonNull(context, "context");
        URLClassLoader loader = new URLClassLoader("dcf-handler", urls(), parent);
        try {
            LoadedHandler handler = new LoadedHandler(instantiate(loader), loader);
            init(handler, context);
            return handler;
        } catch (HandlerLoadException | RuntimeException | Error e) {
            closeQuietly(loader);
            throw e;
        }
    }

    private URL[] urls() throws HandlerLoadException {
        URL[] urls = new URL[path.size()];
        for (int i = 0; i < urls.length; i++) {
            Path entry = path.get(i).toAbsolutePath().normalize();
            if (!Files.exists(entry)) {
                throw new HandlerLoadException("handler class " + className + ": " + entry
                        + " does not exist" + where());
            }
            try {
                urls[i] = entry.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new HandlerLoadException("handler class " + className + ": bad path entry " + entry + where(), e);
            }
        }
        return urls;
    }

    private Object instantiate(ClassLoader loader) throws HandlerLoadException {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new HandlerLoadException("handler class " + className + " not found" + where(), e);
        } catch (LinkageError e) {
            throw failure("could not be loaded", e);
        }
        if (!LoadedHandler.isHandlerType(type)) {
            throw new HandlerLoadException("handler class " + className
                    + " implements neither io.dcf.sdk.Handler nor io.dcf.sdk.StreamHandler" + where());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new HandlerLoadException("handler class " + className
                    + " must be a public, non-abstract class" + where());
        }
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new HandlerLoadException("handler class " + className
                    + " has no public no-argument constructor" + where(), e);
        } catch (InvocationTargetException e) {
            throw failure("failed in its constructor", e.getCause());
        } catch (InstantiationException | LinkageError e) {
            throw failure("could not be instantiated", e);
        }
    }

    private void init(LoadedHandler handler, Context context) throws HandlerLoadException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(handler.classLoader());
        try {
            handler.init(context);
        } catch (Exception | LinkageError e) {
            throw failure("failed in init", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private HandlerLoadException failure(String what, Throwable cause) {
        return new HandlerLoadException("handler class " + className + " " + what + ": "
                + Statuses.describe(cause) + where(), cause);
    }

    private String where() {
        return " (DCF_HANDLER_PATH=" + path.stream().map(Path::toString).collect(Collectors.joining(":")) + ")";
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing to do: the load failed already
        }
    }
}
