package io.hazwatch.drivers.opcua;

import java.util.List;
import java.util.Objects;

/**
 * One endpoint a server offers (GetEndpoints, OPC UA Part 4, 5.4.4), as {@link OpcUaBrowser#endpoints} reports it.
 *
 * @param endpointUrl    URL as the server advertises it (its host name may not resolve from here)
 * @param securityPolicy policy name as in a device configuration ({@code none}, {@code basic256sha256}),
 *                       or the policy URI when the driver does not speak it
 * @param securityMode   {@code none}, {@code sign} or {@code signAndEncrypt}
 * @param identities     identity tokens accepted: {@code anonymous}, {@code username}, {@code certificate},
 *                       {@code issued}
 * @param securityLevel  the server's own ranking; higher is more secure
 * @param supported      true when this driver can use the endpoint
 */
public record OpcUaEndpoint(String endpointUrl, String securityPolicy, String securityMode, List<String> identities,
                            int securityLevel, boolean supported) {
    public OpcUaEndpoint {
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        Objects.requireNonNull(securityPolicy, "securityPolicy");
        Objects.requireNonNull(securityMode, "securityMode");
        identities = List.copyOf(identities);
    }
}
