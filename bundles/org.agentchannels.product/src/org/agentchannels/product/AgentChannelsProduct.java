package org.agentchannels.product;

/** Identifiers of the standalone product, for launch configurations and tests. */
public final class AgentChannelsProduct {

    public static final String PLUGIN_ID = "org.agentchannels.product";
    public static final String APPLICATION_ID = "org.agentchannels.product.application";
    public static final String PRODUCT_ID = "org.agentchannels.product.workbench";

    private AgentChannelsProduct() {
    }
}
