package dev.seb.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local control plane (kube-apiserver + etcd) in the foreground until interrupted, and
 * writes an admin kubeconfig for kubectl. Started by {@code ./seb-local up}.
 */
public final class LocalControlPlane {

  private LocalControlPlane() {}

  /**
   * Starts the control plane.
   *
   * @param args optional: the kubeconfig path to write (default {@code .seb/local/kubeconfig})
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path kubeconfig =
        args.length > 0
            ? Path.of(args[0]).toAbsolutePath()
            : TestGround.repoRoot().resolve(".seb/local/kubeconfig");
    LocalCluster cluster = LocalCluster.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nstopping kube-apiserver and etcd");
                  cluster.close();
                  stopped.countDown();
                }));
    Files.createDirectories(kubeconfig.getParent());
    Files.deleteIfExists(kubeconfig);
    Files.createFile(
        kubeconfig,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(kubeconfig, cluster.adminKubeconfig());
    Path kubectl = TestGround.kubernetesBinaries().resolve("kubectl");
    System.out.printf(
        """

        seb local control plane is up: %s
          admin kubeconfig: %s

        Use it with kubectl:
          export KUBECONFIG=%s
          %s get namespaces
          %s auth whoami

        Ctrl-C stops kube-apiserver and etcd and removes their data.
        %n""",
        cluster.name(), kubeconfig, kubeconfig, kubectl, kubectl);
    stopped.await();
  }
}
