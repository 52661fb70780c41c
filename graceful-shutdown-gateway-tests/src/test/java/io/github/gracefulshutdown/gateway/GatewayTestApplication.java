package io.github.gracefulshutdown.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Cloud Gateway with the starter; its routes come from properties.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class GatewayTestApplication {

}
