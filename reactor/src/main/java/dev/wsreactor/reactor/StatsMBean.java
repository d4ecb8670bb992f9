package dev.wsreactor.reactor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The server's counters for JMX consoles (jconsole, VisualVM), registered as
 * {@code dev.wsreactor:type=WebSocketServer,port=N} when the builder asks for it: one read-only attribute per
 * {@link Counter}, generated from the enum, and {@code CloseCodes}, a map from close code to count. Each reactor's
 * own figures are one more such bean, {@code ...,reactor=K}.
 */
final class StatsMBean implements DynamicMBean {

    private static final String CLOSE_CODES = "CloseCodes";
    private static final String MAP_TYPE = "java.util.Map<java.lang.Integer, java.lang.Long>";
    private static final String[] KEY_VALUE = {"key", "value"};

    private final Supplier<ServerStats> stats;
    private final Map<String, Counter> counters = new HashMap<>();
    private final TabularType closeCodesType;
    private final MBeanInfo info;

    private StatsMBean(Supplier<ServerStats> stats) throws OpenDataException {
        this.stats = stats;
        // The shape the JDK's MXBean mapping gives a Map<Integer, Long>, so consoles show it the same way.
        CompositeType row = new CompositeType(MAP_TYPE, MAP_TYPE, KEY_VALUE, KEY_VALUE,
                new OpenType<?>[] {SimpleType.INTEGER, SimpleType.LONG});
        this.closeCodesType = new TabularType(MAP_TYPE, MAP_TYPE, row, new String[] {"key"});
        Counter[] all = Counter.values();
        OpenMBeanAttributeInfoSupport[] attributes = new OpenMBeanAttributeInfoSupport[all.length + 1];
        for (Counter counter : all) {
            counters.put(counter.attributeName(), counter);
            attributes[counter.ordinal()] = new OpenMBeanAttributeInfoSupport(counter.attributeName(),
                    counter.description(), SimpleType.LONG, true, false, false);
        }
        attributes[all.length] = new OpenMBeanAttributeInfoSupport(CLOSE_CODES,
                "how many sessions closed with each close code", closeCodesType, true, false, false);
        this.info = new OpenMBeanInfoSupport(StatsMBean.class.getName(), "a wsreactor WebSocket server",
                attributes, new OpenMBeanConstructorInfoSupport[0], new OpenMBeanOperationInfoSupport[0], null);
    }

    /**
     * Registers the server's counters as {@code dev.wsreactor:type=WebSocketServer,port=N}, the sums of every
     * reactor's, and each reactor's own as {@code ...,port=N,reactor=K}; returns the names JMX accepted.
     */
    static List<ObjectName> registerServer(int port, int reactors, Supplier<ServerStats> stats) {
        String name = "dev.wsreactor:type=WebSocketServer,port=" + port;
        List<ObjectName> names = new ArrayList<>();
        register(name, stats, names);
        for (int i = 0; i < reactors; i++) {
            int reactor = i;
            register(name + ",reactor=" + reactor, () -> stats.get().reactors().get(reactor), names);
        }
        return names;
    }

    private static void register(String name, Supplier<ServerStats> stats, List<ObjectName> registered) {
        try {
            ObjectName objectName = new ObjectName(name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(new StatsMBean(stats), objectName);
            registered.add(objectName);
        } catch (JMException e) {
            ReactorLog.warning("could not register the MXBean " + name + ": " + e);
        }
    }

    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException ignored) {
            // Already gone: nothing to do.
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        ServerStats now = stats.get();
        if (CLOSE_CODES.equals(attribute)) {
            return closeCodes(now.closeCodes());
        }
        Counter counter = counters.get(attribute);
        if (counter == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return now.get(counter);
    }

    private TabularData closeCodes(Map<Integer, Long> codes) {
        TabularDataSupport table = new TabularDataSupport(closeCodesType);
        for (Map.Entry<Integer, Long> entry : codes.entrySet()) {
            try {
                table.put(new CompositeDataSupport(closeCodesType.getRowType(), KEY_VALUE,
                        new Object[] {entry.getKey(), entry.getValue()}));
            } catch (OpenDataException e) {
                throw new IllegalStateException("the row type fits every entry", e);
            }
        }
        return table;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            try {
                list.add(new Attribute(attribute, getAttribute(attribute)));
            } catch (AttributeNotFoundException ignored) {
                // JMX: attributes that cannot be read are left out of the list.
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("every attribute is read-only: " + attribute.getName());
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName), "the counters have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
