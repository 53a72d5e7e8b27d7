package io.onsbridge.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link OnsBridgeTest}: one {@link OnsBridgeEnvironment} per test run
 * ({@link OnsBridgeEnvironment#shared()}), closed when the test JVM exits.
 */
public final class OnsBridgeExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OnsBridgeEnvironment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return environment(context);
    }

    static OnsBridgeEnvironment environment(ExtensionContext context) {
        try {
            return OnsBridgeEnvironment.shared();
        } catch (Exception e) {
            throw new ParameterResolutionException("cannot start the embedded RocketMQ and the bridge", e);
        }
    }
}
