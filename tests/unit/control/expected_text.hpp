// Expected ikectl text views for the seed's SA table (seed_table.hpp). Compare with the
// ASA outputs at the end of shared/seed/000_*.txt: same fields, same labels, same values
// wherever Linux has the datum. Reviewed line by line against the seed, not just
// captured from the formatter.
#pragma once

namespace seed {

inline constexpr const char* kShowSa = R"(IKEv2 SAs:

Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1

Tunnel-id  Local                     Remote                    Status    Role
55182129   10.0.0.1/4500             192.168.1.1/25171         READY     RESPONDER
      Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP
      Life/Active Time: 86400/112 sec
Child sa: local selector  0.0.0.0/0 - 255.255.255.255/65535
          remote selector 10.2.2.1/0 - 10.2.2.1/65535
          ESP spi in/out: 0x30b848a4/0x77ee5348
)";

inline constexpr const char* kShowSaDetail = R"(IKEv2 SAs:

Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1

Tunnel-id  Local                     Remote                    Status    Role
55182129   10.0.0.1/4500             192.168.1.1/25171         READY     RESPONDER
      Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1, Auth sign: RSA, Auth verify: EAP
      Life/Active Time: 86400/112 sec
      Session-id: 2
      Status Description: Negotiation done
      Local spi: FC696330E6B94D7F       Remote spi: 58AFF71141BA436B
      Local id: hostname=ASA-IKEV2
      Remote id: *$AnyConnectClient$*
      Remote EAP id: Anu
      Local next mess id: 0  Remote next mess id: 9
      Local window: 1
      DPD configured for 10 seconds, retry 2
      NAT-T is detected outside
      Assigned host addr: 10.2.2.1
Child sa: local selector  0.0.0.0/0 - 255.255.255.255/65535
          remote selector 10.2.2.1/0 - 10.2.2.1/65535
          ESP spi in/out: 0x30b848a4/0x77ee5348
          Encr: AES-CBC, keysize: 256, esp_hmac: SHA96
          ah_hmac: None, comp: IPCOMP_NONE, mode tunnel
          State: INSTALLED, ESN: N, UDP encap: Y, replay window: 64
)";

inline constexpr const char* kShowIpsecSa = R"(Tunnel-id: 55182129, Child SA: 3, local addr: 10.0.0.1

      local ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
      remote ident (addr/mask/prot/port): (10.2.2.1/255.255.255.255/0/0)
      current_peer: 192.168.1.1, username: Anu
      dynamic allocated peer ip: 10.2.2.1

      #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0
      #pkts decaps: 163, #pkts decrypt: 163, #pkts verify: 163
      #bytes encaps: 0, #bytes decaps: 11192
      #recv errors: 55, #replay failures: 0, #integrity failures: 55

      local crypto endpt.: 10.0.0.1/4500, remote crypto endpt.: 192.168.1.1/25171
      current outbound spi: 77EE5348
      current inbound spi : 30B848A4

    inbound esp sas:
      spi: 0x30B848A4 (817383588)
         transform: esp-aes-256 esp-sha-hmac no compression
         in use settings ={RA, Tunnel, NAT-T-Encaps, }
         sa timing: remaining key lifetime (sec): 28685
         replay detection support: Y
         replay window size: 64
    outbound esp sas:
      spi: 0x77EE5348 (2012107592)
         transform: esp-aes-256 esp-sha-hmac no compression
         in use settings ={RA, Tunnel, NAT-T-Encaps, }
         sa timing: remaining key lifetime (sec): 28685
         replay detection support: Y
         replay window size: 64

)";

inline constexpr const char* kShowSessions = R"(Session Type: IKEv2 Remote Access

Username     : Anu                    Index        : 2
Assigned IP  : 10.2.2.1               Public IP    : 192.168.1.1
Protocol     : IKEv2 IPsecOverNatT
Encryption   : AES192 AES256          Hashing      : SHA1 SHA1
Bytes Tx     : 0                      Bytes Rx     : 11192
Group Policy : ASA-IKEV2
Login Time   : 22:06:24 UTC Mon Apr 22 2013
Duration     : 0h:02m:26s
Inactivity   : 0h:00m:00s
)";

inline constexpr const char* kShowSessionsDetail = R"(Session Type: IKEv2 Remote Access Detailed

Username     : Anu                    Index        : 2
Assigned IP  : 10.2.2.1               Public IP    : 192.168.1.1
Protocol     : IKEv2 IPsecOverNatT
Encryption   : AES192 AES256          Hashing      : SHA1 SHA1
Bytes Tx     : 0                      Bytes Rx     : 11192
Pkts Tx      : 0                      Pkts Rx      : 171
Group Policy : ASA-IKEV2
Login Time   : 22:06:24 UTC Mon Apr 22 2013
Duration     : 0h:02m:26s
Inactivity   : 0h:00m:00s
Client Type  : AnyConnect
Client Ver   : 3.0.1047
Auth Mode    : userPassword
IKEv2 Tunnels: 1
IPsecOverNatT Tunnels: 1

IKEv2:
  Tunnel ID    : 55182129
  UDP Src Port : 25171                  UDP Dst Port : 4500
  Rem Auth Mode: userPassword
  Loc Auth Mode: rsaCertificate
  Encryption   : AES192                 Hashing      : SHA1
  Rekey Int (T): 86400 Seconds          Rekey Left(T): 86288 Seconds
  PRF          : SHA1                   D/H Group    : 1

IPsecOverNatT:
  Tunnel ID    : 55182129.3
  Local Addr   : 0.0.0.0/0.0.0.0/0/0
  Remote Addr  : 10.2.2.1/255.255.255.255/0/0
  Encryption   : AES256                 Hashing      : SHA1
  Encapsulation: Tunnel
  Rekey Int (T): 28800 Seconds          Rekey Left(T): 28685 Seconds
  Rekey Int (D): 4608000 K-Bytes        Rekey Left(D): 4607990 K-Bytes
  Bytes Tx     : 0                      Bytes Rx     : 11192
  Pkts Tx      : 0                      Pkts Rx      : 163
)";

inline constexpr const char* kShowStats = R"(IKEv2 statistics:
  Started                   : 21:06:47 UTC Mon Apr 22 2013 (up 1h:02m:03s)
  Active sessions           : 1
  Half-open IKE SAs         : 0
  IKE SAs created           : 7
  IKE SAs established       : 5
  IKE SAs failed            : 2
  Authentication failures   : 1
  Retransmits               : 4
  Fragments sent            : 12
  Fragments received        : 3
  DPD requests sent         : 30
  DPD timeouts              : 1
  Cookies sent              : 6
  Invalid packets           : 9
  Malformed requests        : 2
  Half-open refused         : 11
  Half-open evicted         : 3
  Fragments dropped         : 5
  CREATE_CHILD_SA limited   : 1
  INFORMATIONAL limited     : 7
  Lifetimes expired         : 8
  Handler errors            : 0
  Work budget drops         : 40
)";

}  // namespace seed
