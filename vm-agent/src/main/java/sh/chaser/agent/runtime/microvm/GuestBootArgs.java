package sh.chaser.agent.runtime.microvm;

import sh.chaser.agent.domain.Limits;
import sh.chaser.contracts.DataPlaneContract;

/** The kernel command line's part the guest's init reads (vm-agent/guest/vm/init), the same for every VMM. */
final class GuestBootArgs {

    private GuestBootArgs() {}

    static String of(String address, String gateway, int port, String hostname, Limits limits, boolean browser) {
        return "chaser.ip=" + address + "/30 chaser.gw=" + gateway + " chaser.port=" + port
                + " chaser.config=vdc chaser.hostname=" + hostname + " chaser.root=erofs chaser.ws=vdb"
                + (limits.maxProcesses() > 0 ? " chaser.nproc=" + limits.maxProcesses() : "")
                // a browser: Chromium over the image, its DevTools (loopback only) relayed to the VM's address
                + (browser ? " chaser.layer=vdd chaser.relay=" + DataPlaneContract.DEVTOOLS_PORT : "");
    }
}
