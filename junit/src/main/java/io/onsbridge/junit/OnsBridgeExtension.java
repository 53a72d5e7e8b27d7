package io.onsbridge.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link OnsBridgeTest}: one {@link OnsBridgeEnvironment} per test run, kept in the
 * root context's store so that JUnit closes it (bridge, then cluster) when the run ends.
 */
public final class OnsBridgeExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OnsBridgeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OnsBridgeEnvironment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return environment(context);
    }

    static OnsBridgeEnvironment environment(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(OnsBridgeEnvironment.class, type -> {
            try {
                return OnsBridgeEnvironment.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("cannot start the embedded RocketMQ and the bridge", e);
            }
        }, OnsBridgeEnvironment.class);
    }
}
