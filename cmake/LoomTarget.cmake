# loom_library(<folder> SOURCES ... DEPS ...): one library per folder, named loom::<folder>.
# Headers are included as "<folder>/<file>.hpp" from the repository root.
function(loom_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion
                                           # Value structs are built with designated
                                           # initializers that rely on member defaults.
                                           -Wno-missing-field-initializers
                                           # GCC 12 false positive on std::string concatenation
                                           # (GCC bug 105329).
                                           -Wno-restrict)
  if(LOOM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(loom_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(loom_${folder} STATIC ${ARG_SOURCES})
  add_library(loom::${folder} ALIAS loom_${folder})
  target_include_directories(loom_${folder} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(loom_${folder} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  loom_warnings(loom_${folder})
endfunction()
