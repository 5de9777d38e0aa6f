package io.dcf.build;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** DCF build-service: function bundles in, images by digest out (gRPC dcf.v1.Builder on one port). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BuildServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BuildServiceApplication.class, args);
    }
}
